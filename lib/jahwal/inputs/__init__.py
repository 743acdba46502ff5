"""Inputs: the data contract and the loaders of the extract, infrastructure, literature and
framework files, and the synthetic generator.
"""
