web:
  domain: example.test
  port: 8080
  workers: 4
  locations:
    - path: /
      root: htdocs
    - path: /static
      root: static
