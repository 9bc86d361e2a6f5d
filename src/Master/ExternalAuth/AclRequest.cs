namespace Orchestrator.Master.ExternalAuth;

/// <summary>What a user asks to do: the client kind, the function with its arguments and, for <see cref="AclClient.Local"/>, the target.</summary>
public sealed record AclRequest(AclClient Client, string Function, IReadOnlyList<object?> Args,
    IReadOnlyDictionary<string, object?> Kwargs, string Target = "", string TargetType = "glob");
