{#- A rolling deploy across the demo's minions, run on the master: orch run state.orchestrate orch.deploy [test=True]
    The database first; then the web minions one at a time (batch: 1), only if the database succeeded; then each web
    minion's site must answer over HTTP. A failed step stops the steps that require it, and the run exits non-zero. #}
{%- set webs = pillar.get('deploy', {}).get('web_minions', ['web1', 'web2']) %}
database:
  salt.state:
    - tgt: 'roles:db'
    - tgt_type: grain
    - sls: db

web:
  salt.state:
    - tgt: 'roles:web'
    - tgt_type: grain
    - sls: web
    - batch: 1
    - require:
      - salt: database
{%- for id in webs %}

http-check-{{ id }}:
  salt.function:
    - name: cmd.run
    - tgt: {{ id }}
    - arg:
      - curl -fsS -o /dev/null -w '%{http_code}' http://127.0.0.1:{{ 8080 + (id[-1] | int) }}/
    - require:
      - salt: web
{%- endfor %}
