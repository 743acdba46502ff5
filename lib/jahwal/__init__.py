"""jahwal: the library behind the 자활사례관리 성과 research book."""

__version__ = "0.1.0"
