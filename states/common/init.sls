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
{%- if pillar.get('demo_host_changes', True) %}

# Host-wide parts (packages, a user per minion); tests turn them off with demo_host_changes: False.
base-packages:
  pkg.installed:
    - pkgs: {{ pillar.get('base_packages', ['bash', 'coreutils']) | json }}

{%- for admin in pillar.get('admins', []) %}

admin-{{ admin.name }}:
  user.present:
    - name: {{ admin.name }}-{{ grains['id'] }}
    - shell: {{ admin.shell }}
    - createhome: False
{%- endfor %}
{%- endif %}
