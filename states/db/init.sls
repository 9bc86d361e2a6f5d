{%- set root = pillar.get('demo_root', '/tmp/orch-demo') ~ '/' ~ grains['id'] %}
include:
  - common

db-data:
  file.directory:
    - name: {{ root }}/db/data
    - makedirs: True
    - mode: '0750'

db-config:
  file.managed:
    - name: {{ root }}/db/db.conf
    - contents: |
        max_connections = {{ pillar['db']['max_connections'] }}
        data_directory = '{{ root }}/db/data'
    - require:
      - file: db-data
