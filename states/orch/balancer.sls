{#- Every load balancer's backends from the mine again (reactor/cloud-destroyed.sls runs this when a node is gone: its
    key, and with it its mine data, went with it). lb_pillar goes to the state run. #}
balance:
  salt.state:
    - tgt: 'roles:lb'
    - tgt_type: grain
    - sls: lb
    - pillar: {{ pillar.get('lb_pillar', {}) | json }}
