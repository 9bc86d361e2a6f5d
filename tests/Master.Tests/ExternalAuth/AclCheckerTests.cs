using Orchestrator.Master.ExternalAuth;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Master.Tests.ExternalAuth;

public sealed class AclCheckerTests
{
    private static readonly MinionFacts[] Minions =
    [
        Facts("web1", "Debian"),
        Facts("web2", "Debian"),
        Facts("db1", "RedHat"),
    ];

    private readonly AclChecker _acl = new((target, type) =>
        TargetMatcher.ExpectedMinions(target, TargetTypeExtensions.ParseTargetType(type), Minions));

    private static MinionFacts Facts(string id, string os) => new(id, new Dictionary<string, object?>(StringComparer.Ordinal) { ["os"] = os });

    /// <summary>Permissions as Salt's YAML config gives them.</summary>
    private static List<object?> Perms(string yaml) =>
        (List<object?>)DataTree.Normalize(PyYaml.Load(yaml))!;

    private static AclRequest Local(string fun, string target = "*", string type = "glob", List<object?>? args = null,
        Dictionary<string, object?>? kwargs = null) =>
        new(AclClient.Local, fun, args ?? [], kwargs ?? new Dictionary<string, object?>(), target, type);

    private static AclRequest Special(AclClient client, string fun, Dictionary<string, object?>? kwargs = null) =>
        new(client, fun, [], kwargs ?? new Dictionary<string, object?>());

    [Theory]
    [InlineData("['.*']", "cmd.run", true)]
    [InlineData("['test.*']", "test.ping", true)]
    [InlineData("['test.*']", "cmd.run", false)]
    [InlineData("['test.ping']", "test.ping_x", false)]
    [InlineData("['test.ping', 'grains.item']", "grains.item", true)]
    [InlineData("['@runner']", "test.ping", false)]
    public void Local_UntargetedFunctionPatterns(string perms, string fun, bool allowed) =>
        Assert.Equal(allowed, _acl.Check(Perms(perms), Local(fun)).Allowed);

    [Theory]
    [InlineData("web*", "glob", "test.ping", true)]
    [InlineData("web1", "glob", "state.apply", true)]
    [InlineData("*", "glob", "test.ping", false)]
    [InlineData("db1", "glob", "test.ping", false)]
    [InlineData("web1,web2", "list", "test.version", true)]
    [InlineData("web1", "glob", "cmd.run", false)]
    public void Local_TargetedEntry_AllowsOnlyWithinItsTarget(string target, string type, string fun, bool allowed)
    {
        var decision = _acl.Check(Perms("[{'web*': ['test.*', 'state.apply']}]"), Local(fun, target, type), "alice");
        Assert.Equal(allowed, decision.Allowed);
        if (!allowed)
        {
            Assert.Contains("user alice", decision.Reason, StringComparison.Ordinal);
            Assert.Contains(fun, decision.Reason, StringComparison.Ordinal);
            Assert.Contains(target, decision.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("*", "glob", false)]
    [InlineData("web*", "glob", true)]
    [InlineData("G@os:Debian", "compound", true)]
    [InlineData("G@os:RedHat", "compound", false)]
    public void Local_CompoundAclTarget_ResolvedAgainstTheMinions(string target, string type, bool allowed) =>
        Assert.Equal(allowed, _acl.Check(Perms("[{'G@os:Debian': ['pkg.*']}]"), Local("pkg.install", target, type)).Allowed);

    [Fact]
    public void Local_TargetSpreadOverTwoEntries_EachMinionCoveredByOne_IsStillDenied()
    {
        // As Salt's auth_check: one entry must cover the whole target.
        var perms = Perms("[{'web*': ['test.ping']}, {'db*': ['test.ping']}]");
        Assert.False(_acl.Check(perms, Local("test.ping", "*")).Allowed);
        Assert.True(_acl.Check(perms, Local("test.ping", "db1")).Allowed);
    }

    [Fact]
    public void Local_TargetMatchingNoMinion_DeniedByTargetedEntries()
    {
        var decision = _acl.Check(Perms("[{'web*': ['test.ping']}]"), Local("test.ping", "nothing*"));
        Assert.False(decision.Allowed);
        Assert.Contains("matches no minion", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_InvalidTarget_DeniedWithReason()
    {
        var decision = _acl.Check(Perms("[{'web*': ['test.ping']}]"), Local("test.ping", "G@", "compound"));
        Assert.False(decision.Allowed);
        Assert.Contains("invalid target", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_FindJob_IsAlwaysAllowed() =>
        Assert.True(_acl.Check([], Local("saltutil.find_job")).Allowed);

    [Fact]
    public void Local_NoPermissions_Denied() =>
        Assert.False(_acl.Check([], Local("test.ping")).Allowed);

    [Theory]
    [InlineData("ls /tmp", "/tmp", true)]
    [InlineData("ls -la /etc", "/tmp", true)]
    [InlineData("rm -rf /", "/tmp", false)]
    [InlineData("ls /tmp", "/root", false)]
    [InlineData("ls /tmp", null, false)]
    [InlineData(null, "/tmp", false)]
    public void Local_ArgumentRestrictions(string? arg, string? cwd, bool allowed)
    {
        var perms = Perms("[{'web*': [{'cmd.run': {'args': ['^ls .*'], 'kwargs': {'cwd': '/tmp'}}}]}]");
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (cwd is not null)
        {
            kwargs["cwd"] = cwd;
        }
        List<object?> args = arg is null ? [] : [arg];
        Assert.Equal(allowed, _acl.Check(perms, Local("cmd.run", "web1", args: args, kwargs: kwargs)).Allowed);
    }

    [Fact]
    public void Local_ArgumentRestrictions_NullMeansAnyAndAListIsAlternatives()
    {
        var perms = Perms("""
            - 'web*':
                - 'file.*':
                    - args: [~, '/srv/.*']
                    - kwargs: {mode: '06.*'}
            """);
        Assert.True(_acl.Check(perms, Local("file.copy", "web1", args: ["/etc/x", "/srv/y"])).Allowed);
        Assert.False(_acl.Check(perms, Local("file.copy", "web1", args: ["/etc/x", "/etc/y"])).Allowed);
        Assert.True(_acl.Check(perms, Local("file.touch", "web1", kwargs: new() { ["mode"] = "0644" })).Allowed);
        Assert.False(_acl.Check(perms, Local("file.touch", "web1", kwargs: new() { ["mode"] = "0777" })).Allowed);
    }

    [Fact]
    public void Local_ArgumentRestriction_IsAWholeMatch()
    {
        var perms = Perms("[{'*': [{'cmd.run': {'args': ['ls']}}]}]");
        Assert.True(_acl.Check(perms, Local("cmd.run", args: ["ls"])).Allowed);
        Assert.False(_acl.Check(perms, Local("cmd.run", args: ["ls; rm -rf /"])).Allowed);
    }

    [Theory]
    [InlineData("['@runner']", AclClient.Runner, "manage.up", true)]
    [InlineData("['@runners']", AclClient.Runner, "manage.up", true)]
    [InlineData("['@runner']", AclClient.Wheel, "key.list_all", false)]
    [InlineData("['@wheel']", AclClient.Wheel, "key.accept", true)]
    [InlineData("['@jobs']", AclClient.Jobs, "jobs.lookup_jid", true)]
    [InlineData("['@jobs']", AclClient.Runner, "manage.up", false)]
    [InlineData("[{'@runner': ['jobs.*']}]", AclClient.Runner, "jobs.list_jobs", true)]
    [InlineData("[{'@runner': ['jobs.*']}]", AclClient.Runner, "manage.up", false)]
    [InlineData("[{'@wheel': ['key.list_all']}]", AclClient.Wheel, "key.list_all", true)]
    [InlineData("[{'@wheel': ['key.list_all']}]", AclClient.Wheel, "key.delete", false)]
    [InlineData("[{'@key': ['list_all', 'finger']}]", AclClient.Wheel, "key.finger", true)]
    [InlineData("['.*']", AclClient.Runner, "manage.up", false)]
    [InlineData("['.*']", AclClient.Wheel, "key.accept", false)]
    public void Special_RunnerWheelAndJobsForms(string perms, AclClient client, string fun, bool allowed) =>
        Assert.Equal(allowed, _acl.Check(Perms(perms), Special(client, fun)).Allowed);

    [Fact]
    public void Special_ArgumentRestrictionsOnAWheelFunction()
    {
        var perms = Perms("[{'@wheel': [{'key.accept': {'kwargs': {'match': 'web.*'}}}]}]");
        Assert.True(_acl.Check(perms, Special(AclClient.Wheel, "key.accept", new() { ["match"] = "web3" })).Allowed);
        Assert.False(_acl.Check(perms, Special(AclClient.Wheel, "key.accept", new() { ["match"] = "*" })).Allowed);
    }

    [Fact]
    public void Special_FunctionWithoutModule_DeniedWithReason()
    {
        var decision = _acl.Check(Perms("['@runner']"), Special(AclClient.Runner, "up"));
        Assert.False(decision.Allowed);
        Assert.Contains("module.function", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Special_DenialNamesUserAndFunction()
    {
        var decision = _acl.Check(Perms("['test.*']"), Special(AclClient.Runner, "manage.up"), "bob");
        Assert.False(decision.Allowed);
        Assert.Contains("user bob", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("manage.up", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web1", true)]
    [InlineData("web1,web2", true)]
    [InlineData("web1,*", false)]
    [InlineData("web1, db1", false)]
    public void WheelKeyMatch_IsCheckedGlobByGlob_AsTheWheelAppliesIt(string match, bool allowed)
    {
        var perms = Perms("[{'@wheel': [{'key.accept': {'kwargs': {'match': 'web.*'}}}]}]");

        var decision = _acl.Check(perms, Special(AclClient.Wheel, "key.accept", new() { ["match"] = match }));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(allowed, _acl.Check(perms, new AclRequest(AclClient.Wheel, "key.accept", [], new Dictionary<string, object?>
        {
            ["match"] = match.Split(',').Select(m => (object?)m.Trim()).ToList(),
        })).Allowed);
    }

    [Fact]
    public void ATargetedEntry_SaysWhichMinionsThePublishMayReach_AnUntargetedOneDoesNot()
    {
        var targeted = _acl.Check(Perms("[{'web*': ['test.*']}]"), Local("test.ping", "G@os:Debian", "compound"));
        var untargeted = _acl.Check(Perms("['test.*']"), Local("test.ping", "G@os:Debian", "compound"));

        Assert.True(targeted.Allowed);
        Assert.Equal(["web1", "web2"], targeted.Minions!.Order(StringComparer.Ordinal));
        Assert.Equal(("web1,web2", "list"), targeted.TargetFor("G@os:Debian", "compound"));
        Assert.True(untargeted.Allowed);
        Assert.Null(untargeted.Minions);
        Assert.Equal(("G@os:Debian", "compound"), untargeted.TargetFor("G@os:Debian", "compound"));
    }
}
