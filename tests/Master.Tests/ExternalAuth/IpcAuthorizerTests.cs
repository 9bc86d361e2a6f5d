using Orchestrator.Testing;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Tests.ExternalAuth;

public sealed class IpcAuthorizerTests
{
    private static readonly IpcCaller Carol = new(1234, "carol", false, ["devs"]);
    private static readonly IpcCaller Root = new(0, "root", true, []);
    private static readonly IpcCaller Mallory = new(1235, "mallory", false, []);
    private readonly CollectingLogger<IpcAuthorizer> _log = new();

    private IpcAuthorizer Authorizer(string yaml)
    {
        var config = (Dictionary<string, object?>)DataTree.Normalize(PyYaml.Load(yaml))!;
        var acl = new AclChecker((target, _) => target is "*" or "web*" or "compound-web" ? ["web1", "web2"] : target == "db1" ? ["db1"] : []);
        return new IpcAuthorizer(EauthOptions.FromConfig(config, "master"), acl, _log);
    }

    private const string Config = """
        publisher_acl:
          carol: ['test.*', {'web*': ['state.apply']}, '@jobs', {'@wheel': ['key.list_all']}]
          'ops%': ['@runner']
        publisher_acl_blacklist:
          users: ['banned.*']
          modules: ['cmd.*']
        """;

    private static Dictionary<string, object?> Req(Dictionary<string, object?> request) => request;

    private static Dictionary<string, object?> Publish(string fun, string tgt = "*", params object?[] args) =>
        new(StringComparer.Ordinal) { ["fun"] = fun, ["tgt"] = tgt, ["tgt_type"] = "glob", ["arg"] = args.ToList() };

    [Fact]
    public void AclUser_AllowedFunction_Passes() =>
        Assert.Null(Authorizer(Config).Authorize(Carol, "publish", Publish("test.ping")));

    [Fact]
    public void AclUser_DeniedFunction_RefusedNamingUserAndFunction()
    {
        var refusal = Authorizer(Config).Authorize(Carol, "publish", Publish("pkg.install", "*", "vim"));
        Assert.NotNull(refusal);
        Assert.Contains("user carol is not permitted", refusal, StringComparison.Ordinal);
        Assert.Contains("pkg.install", refusal, StringComparison.Ordinal);
        Assert.Contains(_log.WithId(1510), m => m.Contains("carol", StringComparison.Ordinal) && m.Contains("pkg.install", StringComparison.Ordinal));
    }

    [Fact]
    public void AclUser_TargetedEntry()
    {
        var authorizer = Authorizer(Config);
        var allowed = Publish("state.apply", "web*");
        Assert.Null(authorizer.Authorize(Carol, "publish", allowed));
        Assert.NotNull(authorizer.Authorize(Carol, "publish", Publish("state.apply", "db1")));
        // Allowed by a targeted entry: the job goes out to exactly the minions that were checked, as a list.
        Assert.Equal("list", allowed["tgt_type"]);
        Assert.DoesNotContain("db1", (string)allowed["tgt"]!, StringComparison.Ordinal);
        Assert.NotEqual("web*", allowed["tgt"]);
        // An untargeted entry (any minion) leaves the target as it was.
        var untargeted = Publish("test.ping", "web*");
        Assert.Null(authorizer.Authorize(Carol, "publish", untargeted));
        Assert.Equal(("web*", "glob"), (untargeted["tgt"], untargeted["tgt_type"]));
    }

    [Fact]
    public void UserWithoutEntry_RefusedEverythingButPing()
    {
        var authorizer = Authorizer(Config);
        Assert.Null(authorizer.Authorize(Mallory, "ping", Req(new())));
        var refusal = authorizer.Authorize(Mallory, "publish", Publish("test.ping"));
        Assert.Equal("user mallory is not permitted to use the master: the user has no publisher_acl entry", refusal);
        Assert.NotNull(authorizer.Authorize(Mallory, "key", Req(new() { ["action"] = "list" })));
        Assert.NotNull(authorizer.Authorize(Mallory, "events", Req(new())));
    }

    [Fact]
    public void GroupEntry_GivesRunnersToItsMembers()
    {
        var authorizer = Authorizer(Config);
        var opsMember = Mallory with { Groups = ["ops"] };
        Assert.Null(authorizer.Authorize(opsMember, "runner", Req(new() { ["fun"] = "manage.up" })));
        Assert.Null(authorizer.Authorize(opsMember, "events", Req(new())));
        Assert.NotNull(authorizer.Authorize(Carol, "runner", Req(new() { ["fun"] = "manage.up" })));
        Assert.Null(authorizer.Authorize(Carol, "runner", Req(new() { ["fun"] = "jobs.lookup_jid" })));
    }

    [Fact]
    public void KeyOperations_AreWheelKeyFunctions()
    {
        var authorizer = Authorizer(Config);
        Assert.Null(authorizer.Authorize(Carol, "key", Req(new() { ["action"] = "list" })));
        var refusal = authorizer.Authorize(Carol, "key", Req(new() { ["action"] = "accept", ["match"] = "*" }));
        Assert.Contains("key.accept", refusal, StringComparison.Ordinal);
        Assert.NotNull(authorizer.Authorize(Carol, "key", Req(new() { ["action"] = "delete", ["match"] = "web1" })));
    }

    [Fact]
    public void Privileged_MayDoAnything()
    {
        var authorizer = Authorizer(Config);
        Assert.Null(authorizer.Authorize(Root, "publish", Publish("pkg.install")));
        Assert.Null(authorizer.Authorize(Root, "key", Req(new() { ["action"] = "delete", ["match"] = "*" })));
        Assert.Null(authorizer.Authorize(Root, "runner", Req(new() { ["fun"] = "manage.up" })));
    }

    [Fact]
    public void Blacklist_RefusesUsersAndModulesEvenForAclUsersAndRoot()
    {
        var authorizer = Authorizer(Config.Replace("carol:", "banned_carol: ['.*']\n  carol:", StringComparison.Ordinal));
        Assert.Contains("publisher_acl_blacklist", authorizer.Authorize(Carol with { Name = "banned_carol" }, "publish", Publish("test.ping")));
        Assert.Contains("publisher_acl_blacklist", authorizer.Authorize(Carol, "publish", Publish("cmd.run", "*", "id")));
        Assert.Contains("publisher_acl_blacklist", authorizer.Authorize(Root, "publish", Publish("cmd.run", "*", "id")));
        Assert.Null(authorizer.Authorize(Root, "publish", Publish("test.ping")));
    }

    [Fact]
    public void UnknownOperation_RefusedForAclUser() =>
        Assert.NotNull(Authorizer(Config).Authorize(Carol, "shutdown", Req(new())));
}
