namespace Orchestrator.Integration.Tests;

/// <summary>Integration tests run one cluster at a time: the CI machine has two cores.</summary>
[CollectionDefinition("cluster", DisableParallelization = true)]
public sealed class ClusterCollection;
