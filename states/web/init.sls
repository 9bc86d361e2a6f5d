{%- set root = pillar.get('demo_root', '/tmp/orch-demo') ~ '/' ~ grains['id'] %}
{%- set web = pillar['web'] %}
include:
  - common

web-config:
  file.managed:
    - name: {{ root }}/web/site.conf
    - source: salt://web/files/site.conf.jinja
    - template: jinja
    - makedirs: True
    - context:
        server_name: {{ grains['id'] }}.{{ web.domain }}
    - require:
      - file: demo-root

web-docroot:
  file.directory:
    - name: {{ root }}/web/htdocs
    - makedirs: True

web-index:
  file.managed:
    - name: {{ root }}/web/htdocs/index.html
    - contents: "<h1>{{ grains['id'] }}</h1>\n"
    - require:
      - file: web-docroot

# The site "reloads" when its configuration changes, and only then.
web-reload:
  cmd.run:
    - name: echo "reloaded $(md5sum < {{ root }}/web/site.conf | cut -c1-8)" >> {{ root }}/web/reloads.log
    - onchanges:
      - file: web-config
