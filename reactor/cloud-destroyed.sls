{#- salt/cloud/<name>/destroyed: the node and its key (so its mine data) are gone; render the load balancers' backends
    again (states/orch/balancer.sls). Map it on 'salt/cloud/*/destroyed'. #}
rebalance-after-{{ data['name'] }}:
  runner.state.orchestrate:
    - args:
      - mods: orch.balancer
