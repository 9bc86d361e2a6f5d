{#- Each web minion gets ports of its own: the demo site on web.port + N, nginx on 8180 + N (web1: 8081, 8181). #}
{%- set n = grains['id'][-1] | int %}
{%- set nginx_port_base = 8180 %}
web:
  domain: example.test
  port: 8080
  workers: 4
  locations:
    - path: /
      root: htdocs
    - path: /static
      root: static

nginx:
  port: {{ nginx_port_base + n }}
  user: www-data
  worker_processes: 2

# Salt's beacons, from pillar: report the nginx instance's status when it changes (checked every second);
# reactor/heal-nginx.sls restarts it when it reports down.
beacons:
  service:
    - services:
        orch-nginx-{{ grains['id'] }}:
          onchangeonly: True
          emitatstartup: False
    - interval: 1
