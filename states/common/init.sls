{#- Several demo minions share one host, so each manages its own tree under demo_root/<id>. #}
{%- set root = pillar.get('demo_root', '/tmp/orch-demo') ~ '/' ~ grains['id'] %}

demo-root:
  file.directory:
    - name: {{ root }}
    - makedirs: True

motd:
  file.managed:
    - name: {{ root }}/motd
    - contents: |
        {{ grains['id'] }} ({{ grains['os'] }} {{ grains['osrelease'] }}) is managed by Orchestrator.
        Roles: {{ grains.get('roles', []) | join(', ') }}
        Admins: {{ pillar.get('admins', []) | map(attribute='name') | join(', ') }}
    - mode: '0644'
    - require:
      - file: demo-root
