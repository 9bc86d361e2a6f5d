namespace Orchestrator.Minion.Modules.Providers;

/// <summary>Controls system services for the <c>service</c> module (systemd, sysvinit...).</summary>
/// <remarks>Operations return true when the init system reported success; they throw <see cref="ModuleException"/> only when the tool cannot run at all.</remarks>
public interface IServiceManager
{
    /// <summary>The provider name, as Salt shows it in the <c>service</c> virtual name (<c>systemd</c>, <c>sysvinit</c>).</summary>
    string Name { get; }

    Task<bool> StatusAsync(string name, CancellationToken cancellationToken);

    /// <summary>Runs an action: <c>start</c>, <c>stop</c>, <c>restart</c> or <c>reload</c>.</summary>
    Task<bool> ControlAsync(string name, string action, CancellationToken cancellationToken);

    Task<bool> EnableAsync(string name, CancellationToken cancellationToken);

    Task<bool> DisableAsync(string name, CancellationToken cancellationToken);

    Task<bool> IsEnabledAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every service the init system knows, sorted.</summary>
    Task<IReadOnlyList<string>> GetAllAsync(CancellationToken cancellationToken);
}
