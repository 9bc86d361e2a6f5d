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

# Salt's mine: each web minion sends these to the master at start-up and every mine_interval (60 min); the load balancer
# (states/lb) reads them with salt['mine.get']. internal_ip is an alias (mine_function) with keyword arguments: the demo's
# sites listen on loopback, so that is the address the balancer must use.
mine_functions:
  network.ip_addrs: []
  internal_ip:
    - mine_function: network.ip_addrs
    - include_loopback: True
    - cidr: 127.0.0.0/8
