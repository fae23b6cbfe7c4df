"""Training command-line tools, one per trained model: python -m backend.train.<name> --help"""
