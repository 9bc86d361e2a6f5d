namespace Orchestrator.Minion.Modules;

/// <summary>The master's mine, as this minion may use it: store its own data, read others', delete its own.</summary>
/// <remarks>
/// An optional capability of <see cref="IFileClient"/>, as <see cref="IRunnerCatalog"/> is: only the client that talks to a
/// master has it. Every method throws <see cref="ModuleException"/> with the reason when the master refuses or cannot answer.
/// </remarks>
public interface IMineClient
{
    /// <summary>Stores mine data under this minion, merged per function or replacing everything (<paramref name="clear"/>).</summary>
    Task SendMineAsync(Dictionary<string, object?> data, bool clear, CancellationToken cancellationToken);

    /// <summary>The mine data of the minions the target selects, as the master answers it.</summary>
    Task<Dictionary<string, object?>> GetMineAsync(
        string target, string targetType, IReadOnlyList<string> functions, bool byFunction, CancellationToken cancellationToken);

    /// <summary>Deletes one function from this minion's mine.</summary>
    Task DeleteMineAsync(string function, CancellationToken cancellationToken);

    /// <summary>Deletes this minion's whole mine.</summary>
    Task FlushMineAsync(CancellationToken cancellationToken);
}
