{%- set root = pillar.get('demo_root', '/tmp/orch-demo') ~ '/' ~ grains['id'] %}
{#- A load balancer's backends from the Salt mine: every web minion's internal_ip (pillars/web.sls mine_functions), as the
    master has it. A web minion that is added shows up at the next state.apply once it has sent its mine data. #}
lb-backends:
  file.managed:
    - name: {{ root }}/lb/backends.cfg
    - source: salt://lb/files/backends.cfg.jinja
    - template: jinja
    - makedirs: True
