{#- A node salt-cloud just made (reactor/cloud-provisioned.sls runs this on salt/cloud/<name>/created, with pillar
    node: <name>): its highstate, then its mine data, then every load balancer's backends from the mine, so the new
    web node takes traffic only once it is configured. node_pillar and lb_pillar go to those two state runs (the demo's
    new nodes run no host services by default, so destroying one leaves nothing behind). #}
{%- set node = pillar['node'] %}
configure:
  salt.state:
    - tgt: {{ node }}
    - highstate: True
    - pillar: {{ pillar.get('node_pillar', {'demo_host_changes': False}) | json }}

share:
  salt.function:
    - name: mine.update
    - tgt: {{ node }}
    - require:
      - salt: configure

balance:
  salt.state:
    - tgt: 'roles:lb'
    - tgt_type: grain
    - sls: lb
    - pillar: {{ pillar.get('lb_pillar', {}) | json }}
    - require:
      - salt: share
