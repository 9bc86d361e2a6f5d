{#- A web minion's own nginx instance: its own port, config, pid file, logs and docroot under demo_root/<id>/nginx,
    run by /etc/init.d/orch-nginx-<id>. The service beacon (pillars/web.sls) watches it; reactor/heal-nginx.sls restarts it. #}
{%- set demo_root = pillar.get('demo_root', '/tmp/orch-demo') %}
{%- set root = demo_root ~ '/' ~ grains['id'] %}
{%- set nginx = pillar.get('nginx', {}) %}
{#- Debian's nginx unpacked under its own root by scripts/install-nginx.sh, not installed into the system. #}
{%- set nginx_root = nginx.get('root', '/opt/orchestrator/nginx') %}
{%- set binary = nginx.get('binary', nginx_root ~ '/usr/sbin/nginx') %}
{%- set prefix = root ~ '/nginx' %}
{%- set service = 'orch-nginx-' ~ grains['id'] %}
{%- if not pillar.get('demo_host_changes', True) %}

nginx-left-out:
  test.show_notification:
    - text: "demo_host_changes is False: no nginx instance (it needs an init script in /etc/init.d)"
{%- elif not salt['file.file_exists'](binary) %}

nginx-not-installed:
  test.show_notification:
    - text: "{{ binary }} is missing (scripts/install-nginx.sh installs it): no nginx instance for {{ grains['id'] }}"
{%- else %}

# Modes spelled out: nginx's workers (www-data) must traverse the whole path to the docroot, whatever the minion's umask.
nginx-dirs:
  file.directory:
    - names:
      - {{ demo_root }}
      - {{ root }}
      - {{ prefix }}
      - {{ prefix }}/logs
      - {{ prefix }}/run
      - {{ prefix }}/tmp
      - {{ prefix }}/htdocs
    - mode: '0755'
    - makedirs: True

nginx-index:
  file.managed:
    - name: {{ prefix }}/htdocs/index.html
    - contents: "<h1>{{ grains['id'] }} (nginx)</h1>\n"
    - mode: '0644'
    - require:
      - file: nginx-dirs

nginx-config:
  file.managed:
    - name: {{ prefix }}/nginx.conf
    - source: salt://nginx/files/nginx.conf.jinja
    - template: jinja
    - context:
        prefix: {{ prefix }}
        port: {{ nginx.port }}
        user: {{ nginx.get('user', 'www-data') }}
        worker_processes: {{ nginx.get('worker_processes', 1) }}
        mime_types: {{ nginx_root }}/etc/nginx/mime.types
    - require:
      - file: nginx-dirs

nginx-init-script:
  file.managed:
    - name: /etc/init.d/{{ service }}
    - source: salt://nginx/files/init.sh.jinja
    - template: jinja
    - mode: '0755'
    - context:
        service: {{ service }}
        binary: {{ binary }}
        prefix: {{ prefix }}
        port: {{ nginx.port }}

# Started once, reloaded (nginx re-reads its config without dropping connections) whenever the config changes.
nginx-service:
  service.running:
    - name: {{ service }}
    - reload: True
    - require:
      - file: nginx-init-script
      - file: nginx-index
    - watch:
      - file: nginx-config
{%- endif %}
