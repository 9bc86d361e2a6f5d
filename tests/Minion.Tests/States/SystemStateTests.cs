using Orchestrator.Minion.Tests.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.States;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class SystemStateTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly StateTestHarness _h;

    public SystemStateTests()
    {
        _h = new StateTestHarness(_dir.Path,
            [new Orchestrator.Minion.Modules.Execution.GroupModule(new Orchestrator.Minion.Modules.Providers.EtcAccountDatabase(),
                new Orchestrator.Minion.Modules.Providers.SystemProcessRunner())]);
    }

    public void Dispose() => _dir.Dispose();

    private static bool IsRoot() => Environment.UserName == "root" && File.Exists("/usr/sbin/useradd");

    private static bool Changed(Dictionary<string, object?> r) => r["changes"] is Dictionary<string, object?> { Count: > 0 };

    private static string Run(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, output);
        return output;
    }

    [Fact]
    public async Task UserAndGroup_PresentAbsent_OnRealHost()
    {
        if (!IsRoot())
        {
            return;
        }
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var group = "orchg" + suffix;
        var user = "orchu" + suffix;
        try
        {
            var g = await _h.RunAsync("group.present", group);
            Assert.Equal($"New group {group} created", g["comment"]);
            Assert.Equal($"Group {group} is present and up to date", (await _h.RunAsync("group.present", group))["comment"]);

            var args = new Dictionary<string, object?> { ["groups"] = new List<object?> { group }, ["shell"] = "/bin/sh", ["createhome"] = false };
            var u = await _h.RunAsync("user.present", user, args);
            Assert.Equal($"New user {user} created", u["comment"]);
            Assert.Equal($"User {user} is present and up to date", (await _h.RunAsync("user.present", user, args))["comment"]);
            var shell = await _h.RunAsync("user.present", user, new() { ["shell"] = "/bin/bash" });
            Assert.Equal("/bin/bash", ((Dictionary<string, object?>)shell["changes"]!)["shell"]);

            Assert.Equal($"Removed user {user}", (await _h.RunAsync("user.absent", user))["comment"]);
            Assert.Equal($"User {user} is not present", (await _h.RunAsync("user.absent", user))["comment"]);
            Assert.Equal($"Removed group {group}", (await _h.RunAsync("group.absent", group))["comment"]);
            Assert.Equal("Group not present", (await _h.RunAsync("group.absent", group))["comment"]);
        }
        finally
        {
            await _h.RunAsync("cmd.run", $"userdel {user} 2>/dev/null; groupdel {group} 2>/dev/null; true");
        }
    }

    [Fact]
    public async Task User_MissingGroup_FailsInTestModeToo()
    {
        var missing = "orch-nogroup-" + Guid.NewGuid().ToString("N")[..6];
        var args = new Dictionary<string, object?> { ["groups"] = new List<object?> { missing, "root" } };
        foreach (var test in new[] { true, false })
        {
            var r = await _h.RunAsync("user.present", "orch-never-" + Guid.NewGuid().ToString("N")[..6], args, test: test);
            Assert.Equal(false, r["result"]);
            Assert.Equal($"The following group(s) are not present: {missing}", r["comment"]);
        }
    }

    [Fact]
    public async Task Group_MembersInGivenOrder_InTestComment()
    {
        if (!IsRoot())
        {
            return;
        }
        var group = "orchg" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await _h.RunAsync("group.present", group);
            var r = await _h.RunAsync("group.present", group, new() { ["members"] = new List<object?> { "www-data", "daemon" } }, test: true);
            Assert.Null(r["result"]);
            Assert.Equal("The following group attributes are set to be changed:\nmembers: ['www-data', 'daemon']\n", r["comment"]);
        }
        finally
        {
            await _h.RunAsync("cmd.run", $"groupdel {group} 2>/dev/null; true");
        }
    }

    [Fact]
    public async Task User_GidByNameAndMissingHome_AsSaltReportsThem()
    {
        if (!IsRoot())
        {
            return;
        }
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var group = "orchg" + suffix;
        var user = "orchu" + suffix;
        var home = _dir.Combine("home-" + suffix);
        try
        {
            await _h.RunAsync("group.present", group);
            var args = new Dictionary<string, object?> { ["gid"] = group, ["home"] = home, ["createhome"] = false };
            Assert.Equal($"New user {user} created", (await _h.RunAsync("user.present", user, args))["comment"]);
            Assert.Equal($"User {user} is present and up to date", (await _h.RunAsync("user.present", user, args))["comment"]);
            args.Remove("createhome");
            var test = await _h.RunAsync("user.present", user, args, test: true);
            Assert.Equal($"The following user attributes are set to be changed:\nhomeDoesNotExist: {home}\n", test["comment"]);
            await _h.RunAsync("user.present", user, args);
            Assert.True(Directory.Exists(home));
            Assert.Equal($"User {user} is present and up to date", (await _h.RunAsync("user.present", user, args))["comment"]);
        }
        finally
        {
            await _h.RunAsync("cmd.run", $"userdel {user} 2>/dev/null; groupdel {group} 2>/dev/null; true");
        }
    }

    [Fact]
    public async Task User_TestMode_DoesNotCreate()
    {
        var r = await _h.RunAsync("user.present", "orch-never-" + Guid.NewGuid().ToString("N")[..6], test: true);
        Assert.Null(r["result"]);
    }

    [Fact]
    public async Task Cron_PresentUpdateAbsent_WithFakeCrontab()
    {
        var bin = _dir.Combine("bin");
        Directory.CreateDirectory(bin);
        var tab = _dir.Combine("tab");
        File.WriteAllText(Path.Combine(bin, "crontab"),
            $"#!/bin/sh\nif [ \"$1\" = \"-l\" ]; then [ -f {tab} ] && cat {tab} || {{ echo 'no crontab' >&2; exit 1; }}; else cat > {tab}; fi\n");
        File.SetUnixFileMode(Path.Combine(bin, "crontab"), (UnixFileMode)Convert.ToInt32("755", 8));
        _h.Cmd.PathPrefix = bin;

        var added = await _h.RunAsync("cron.present", "/usr/bin/backup", new() { ["minute"] = "5", ["hour"] = "2" });
        Assert.Equal("Cron /usr/bin/backup added to root's crontab", added["comment"]);
        Assert.Equal("# Lines below here are managed by Salt, do not edit\n# SALT_CRON_IDENTIFIER:/usr/bin/backup\n5 2 * * * /usr/bin/backup\n", File.ReadAllText(tab));
        Assert.Equal("Cron /usr/bin/backup already present", (await _h.RunAsync("cron.present", "/usr/bin/backup", new() { ["minute"] = "5", ["hour"] = "2" }))["comment"]);
        Assert.Equal("Cron /usr/bin/backup updated", (await _h.RunAsync("cron.present", "/usr/bin/backup", new() { ["minute"] = "10", ["hour"] = "2" }))["comment"]);
        Assert.Equal("Cron /usr/bin/backup removed from root's crontab", (await _h.RunAsync("cron.absent", "/usr/bin/backup"))["comment"]);
        Assert.Equal("Cron /usr/bin/backup already absent from root's crontab", (await _h.RunAsync("cron.absent", "/usr/bin/backup"))["comment"]);
    }

    [Fact]
    public async Task GitLatest_ClonesThenUpdates()
    {
        var origin = _dir.Combine("origin");
        Directory.CreateDirectory(origin);
        Run("git", "-C", origin, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(origin, "README"), "one");
        Run("git", "-C", origin, "add", ".");
        Run("git", "-C", origin, "-c", "user.email=t@e", "-c", "user.name=t", "commit", "-q", "-m", "one");
        var target = _dir.Combine("checkout");
        var url = "file://" + origin;

        var cloned = await _h.RunAsync("git.latest", url, new() { ["target"] = target });
        Assert.Equal($"{url} cloned to {target}", cloned["comment"]);
        Assert.Equal("one", File.ReadAllText(Path.Combine(target, "README")));
        Assert.Equal($"Repository {target} is up-to-date", (await _h.RunAsync("git.latest", url, new() { ["target"] = target }))["comment"]);

        File.WriteAllText(Path.Combine(origin, "README"), "two");
        Run("git", "-C", origin, "-c", "user.email=t@e", "-c", "user.name=t", "commit", "-q", "-am", "two");
        var updated = await _h.RunAsync("git.latest", url, new() { ["target"] = target, ["rev"] = "main" });
        Assert.Equal($"Repository {target} updated", updated["comment"]);
        Assert.Equal("two", File.ReadAllText(Path.Combine(target, "README")));
    }

    [Fact]
    public async Task ArchiveExtracted_ExtractsOnce()
    {
        var content = _dir.Combine("content");
        Directory.CreateDirectory(Path.Combine(content, "app"));
        File.WriteAllText(Path.Combine(content, "app", "bin.sh"), "echo hi");
        var tarball = _dir.Combine("app.tar.gz");
        Run("tar", "-czf", tarball, "-C", content, "app");
        var dest = _dir.Combine("opt");

        var r = await _h.RunAsync("archive.extracted", dest, new() { ["source"] = tarball });
        Assert.Equal($"{tarball} extracted to {dest}", r["comment"]);
        Assert.True(File.Exists(Path.Combine(dest, "app", "bin.sh")));
        var again = await _h.RunAsync("archive.extracted", dest, new() { ["source"] = tarball });
        Assert.False(Changed(again));
    }
}
