namespace Orchestrator.Minion.Modules.Providers;

/// <summary>Reads local users and groups (the <c>user</c> and <c>group</c> modules, <c>file.stats</c>, <c>file.chown</c>).</summary>
public interface IAccountDatabase
{
    IReadOnlyList<UserAccount> Users();

    IReadOnlyList<GroupAccount> Groups();
}
