"""Loading the reviewed seed files in seeds/ into the database (``manage.py load_seeds``)."""
