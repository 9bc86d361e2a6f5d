{%- set root = pillar.get('demo_root', '/tmp/orch-demo') ~ '/' ~ grains['id'] %}
{%- set web = pillar['web'] %}
{#- Each web minion serves on its own port: web1 on port+1, web2 on port+2. #}
{%- set port = web.port + (grains['id'][-1] | int) %}
{%- set service = 'orch-demo-' ~ grains['id'] %}
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
{%- if pillar.get('demo_host_changes', True) %}

web-init-script:
  file.managed:
    - name: /etc/init.d/{{ service }}
    - source: salt://web/files/init.sh.jinja
    - template: jinja
    - mode: '0755'
    - context:
        service: {{ service }}
        port: {{ port }}
        docroot: {{ root }}/web/htdocs

# A real service (sysvinit here, systemd where present) that restarts whenever its configuration changes.
web-service:
  service.running:
    - name: {{ service }}
    - require:
      - file: web-init-script
      - file: web-index
    - watch:
      - file: web-config
{%- endif %}
