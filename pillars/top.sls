base:
  '*':
    - common
  'roles:web':
    - match: grain
    - web
  'roles:db':
    - match: grain
    - db
