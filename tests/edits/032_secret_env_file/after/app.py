import os
KEY = os.environ.get('API_KEY', '')
