{#- Salt's classic pattern: accept new minion keys by a policy instead of by hand.
    salt/auth fires at each authentication attempt; for a key the master holds as pending its data is
      {"act": "pend", "id": <minion id>, "pub": <the minion's public key>, "result": true}
    The policy (auth-policy.yaml, beside this file) lists the minion ids to accept. salt/auth carries no grains: the
    minion has not authenticated yet, so nothing it says about itself can be trusted at this point. #}
{%- import_yaml 'auth-policy.yaml' as policy %}
{%- set id = data.get('id', '') | string %}
{%- set ns = namespace(allowed=False) %}
{%- for pattern in policy.get('accept_ids', []) %}
{%-   if id is match('(?:' ~ pattern ~ ')$') %}{% set ns.allowed = True %}{% endif %}
{%- endfor %}
{%- if data.get('act') == 'pend' and data.get('result') and ns.allowed %}
accept-{{ id }}:
  wheel.key.accept:
    - args:
      - match: {{ id }}
{%- endif %}
