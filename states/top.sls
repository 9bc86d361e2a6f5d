# Which SLS each minion gets: every minion the common role, then one by grain.
base:
  '*':
    - common
  'roles:web':
    - match: grain
    - web
    - nginx
  'roles:db':
    - match: grain
    - db
  'roles:lb':
    - match: grain
    - lb
