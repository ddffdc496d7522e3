def configure():
    raise RuntimeError("DATABASE_URL is not set")


configure()
