{#- Auto-healing. A web minion's service beacon (pillars/web.sls) reports each change of its nginx instance as
      salt/beacon/<id>/service/orch-nginx-<id>   {"id": <id>, "service_name": "orch-nginx-<id>", "orch-nginx-<id>": {"running": false}}
    When it reports the instance down, restart it on that minion, and only there. The minion id in the tag is the one
    the master checked (a minion may fire only its own beacon tags), so data['id'] must agree with it. #}
{%- set service = data.get('service_name', '') %}
{%- set reporter = tag.split('/')[2] if tag.count('/') >= 3 else '' %}
{%- if data.get('id') == reporter and service == 'orch-nginx-' ~ reporter and not data.get(service, {}).get('running', True) %}
restart-{{ service }}:
  local.service.restart:
    - tgt: {{ data['id'] }}
    - args:
      - name: {{ service }}
{%- endif %}
