using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Modules.Execution;
using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Minion.Tests.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.States;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class HostStateModulesTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly SystemProcessRunner _runner = new();

    public void Dispose() => _dir.Dispose();

    private StateTestHarness Harness(params IExecutionModule[] modules)
    {
        var h = new StateTestHarness(_dir.Path, modules);
        h.Context.Grains["os_family"] = "Debian";
        h.Context.Grains["os"] = "Debian";
        return h;
    }

    private static Dictionary<string, object?> Changes(Dictionary<string, object?> r) => (Dictionary<string, object?>)r["changes"]!;

    private static bool IsRoot() => Environment.UserName == "root";

    [Fact]
    public async Task Host_PresentAbsent_InConfiguredHostsFile()
    {
        var hosts = _dir.Combine("hosts");
        File.WriteAllText(hosts, "# header\n127.0.0.1\tlocalhost\n");
        var h = Harness(new HostsModule());
        h.Context.Opts["hosts.file"] = hosts;

        var test = await h.RunAsync("host.present", "db.example", new() { ["ip"] = "10.0.0.5" }, test: true);
        Assert.Null(test["result"]);
        Assert.Equal("Host db.example (10.0.0.5) would be added", test["comment"]);
        Assert.Equal("# header\n127.0.0.1\tlocalhost\n", File.ReadAllText(hosts));

        var added = await h.RunAsync("host.present", "db.example", new() { ["ip"] = new List<object?> { "10.0.0.5" }, ["comment"] = "the db" });
        Assert.Equal(true, added["result"]);
        Assert.Equal("Added host db.example (10.0.0.5)\nSet comment for host 10.0.0.5 (the db)", added["comment"]);
        Assert.Equal("# header\n127.0.0.1\t\tlocalhost\n10.0.0.5\t\tdb.example\t\t# the db\n", File.ReadAllText(hosts));
        var again = await h.RunAsync("host.present", "db.example", new() { ["ip"] = "10.0.0.5", ["comment"] = "the db" });
        Assert.Equal("Host db.example (10.0.0.5) already present", again["comment"]);
        Assert.Empty(Changes(again));

        Assert.Equal("Host db.example (10.0.0.5) needs to be removed", (await h.RunAsync("host.absent", "db.example", new() { ["ip"] = "10.0.0.5" }, test: true))["comment"]);
        var removed = await h.RunAsync("host.absent", "db.example", new() { ["ip"] = "10.0.0.5" });
        Assert.Equal("Removed host db.example (10.0.0.5)", removed["comment"]);
        Assert.DoesNotContain("db.example", File.ReadAllText(hosts));
        Assert.Equal("Host db.example (10.0.0.5) already absent", (await h.RunAsync("host.absent", "db.example", new() { ["ip"] = "10.0.0.5" }))["comment"]);
    }

    [Fact]
    public async Task Host_Present_InvalidAddressAndMissingIp_Fail()
    {
        var hosts = _dir.Combine("hosts");
        File.WriteAllText(hosts, "not-an-ip\tother\n");
        var h = Harness(new HostsModule());
        h.Context.Opts["hosts.file"] = hosts;
        var bad = await h.RunAsync("host.present", "web", new() { ["ip"] = "not-an-ip" });
        Assert.Equal(false, bad["result"]);
        Assert.Equal("Invalid IP Address for web (not-an-ip)", bad["comment"]);
        var missing = await h.RunAsync("host.present", "web");
        Assert.Equal(false, missing["result"]);
        Assert.Equal("not-an-ip\tother\n", File.ReadAllText(hosts));
    }

    [Fact]
    public async Task Sysctl_Present_PersistsToConfigAndAssigns()
    {
        if (!IsRoot() || !File.Exists("/proc/sys/net/ipv4/ip_forward"))
        {
            return;
        }
        var value = File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim();
        var config = _dir.Combine("sysctl.d", "99-salt.conf");
        var h = Harness(new SysctlModule(_runner));
        var args = new Dictionary<string, object?> { ["value"] = value, ["config"] = config };

        var test = await h.RunAsync("sysctl.present", "net.ipv4.ip_forward", args, test: true);
        Assert.Null(test["result"]);
        Assert.Equal($"Sysctl value is currently set on the running system but not in a config file. Sysctl option net.ipv4.ip_forward set to be changed to {value} in config file.", test["comment"]);
        Assert.False(File.Exists(config));

        var set = await h.RunAsync("sysctl.present", "net.ipv4.ip_forward", args);
        Assert.Equal(true, set["result"]);
        Assert.Equal($"Updated sysctl value net.ipv4.ip_forward = {value}", set["comment"]);
        Assert.Equal($"#\n# Kernel sysctl configuration\n#\nnet.ipv4.ip_forward = {value}\n", File.ReadAllText(config));
        Assert.Equal($"Sysctl value net.ipv4.ip_forward = {value} is already set", (await h.RunAsync("sysctl.present", "net.ipv4.ip_forward", args))["comment"]);
        Assert.Equal($"Sysctl value net.ipv4.ip_forward = {value} is already set", (await h.RunAsync("sysctl.present", "net.ipv4.ip_forward", args, test: true))["comment"]);
    }

    [Fact]
    public async Task Sysctl_Present_UnknownKey_Fails()
    {
        var config = _dir.Combine("sysctl.conf");
        var h = Harness(new SysctlModule(_runner));
        var r = await h.RunAsync("sysctl.present", "orch.no.such.key", new() { ["value"] = "1", ["config"] = config });
        Assert.Equal(false, r["result"]);
        Assert.Equal("Failed to set orch.no.such.key to 1: sysctl orch.no.such.key does not exist", r["comment"]);
        var test = await h.RunAsync("sysctl.present", "orch.no.such.key", new() { ["value"] = "1", ["config"] = _dir.Combine("missing.conf") }, test: true);
        Assert.Null(test["result"]);
    }

    private string TimezoneRoot(string zone)
    {
        var root = _dir.Combine("tzroot");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.CreateSymbolicLink(Path.Combine(root, "etc", "localtime"), "/usr/share/zoneinfo/" + zone);
        File.WriteAllText(Path.Combine(root, "etc", "timezone"), zone + "\n");
        File.WriteAllText(Path.Combine(root, "etc", "adjtime"), "0.0 0 0.0\n0\nUTC\n");
        return root;
    }

    [Fact]
    public async Task Timezone_System_SetsLinkAndTimezoneFile()
    {
        if (!File.Exists("/usr/share/zoneinfo/Europe/Paris") || !File.Exists("/usr/share/zoneinfo/Etc/UTC"))
        {
            return;
        }
        var root = TimezoneRoot("Etc/UTC");
        var h = Harness(new TimezoneModule(_runner, root, timedatectl: false));
        var test = await h.RunAsync("timezone.system", "Europe/Paris", test: true);
        Assert.Null(test["result"]);
        Assert.Equal("Timezone Europe/Paris needs to be set", test["comment"]);

        var set = await h.RunAsync("timezone.system", "Europe/Paris");
        Assert.Equal(true, set["result"]);
        Assert.Equal("Set timezone Europe/Paris", set["comment"]);
        Assert.Equal("/usr/share/zoneinfo/Europe/Paris", new FileInfo(Path.Combine(root, "etc", "localtime")).LinkTarget);
        Assert.Equal("Europe/Paris\n", File.ReadAllText(Path.Combine(root, "etc", "timezone")));
        Assert.Equal("Timezone Europe/Paris already set, UTC already set to Europe/Paris", (await h.RunAsync("timezone.system", "Europe/Paris"))["comment"]);
    }

    [Fact]
    public async Task Timezone_System_UnknownZoneAndOfflineTimedatectl_Fail()
    {
        var root = TimezoneRoot("Etc/UTC");
        var h = Harness(new TimezoneModule(_runner, root, timedatectl: false));
        var bad = await h.RunAsync("timezone.system", "Nowhere/Bogus");
        Assert.Equal(false, bad["result"]);
        Assert.Equal("Unable to compare desired timezone 'Nowhere/Bogus' to system timezone: Can't find a local timezone \"Nowhere/Bogus\"", bad["comment"]);

        // This machine has timedatectl but no running systemd: Salt's get_hwclock raises, and so the state fails.
        if (HostCommandProbe.Which("timedatectl") && !Directory.Exists("/run/systemd/system"))
        {
            var offline = Harness(new TimezoneModule(_runner, root));
            var r = await offline.RunAsync("timezone.system", "Etc/UTC");
            Assert.Equal(false, r["result"]);
            Assert.StartsWith("An exception occurred in this state: StateCallException: timedatectl failed: ", (string)r["comment"]!);
        }
    }

    [Fact]
    public async Task Locale_System_WritesDefaultLocaleUnderRoot()
    {
        if (!HostCommandProbe.Which("update-locale"))
        {
            return;
        }
        var root = _dir.Combine("lroot");
        Directory.CreateDirectory(Path.Combine(root, "etc", "default"));
        File.WriteAllText(Path.Combine(root, "etc", "default", "locale"), "LANG=C.UTF-8\n");
        var h = Harness(new LocaleModule(_runner, root));
        Assert.Equal("System locale C.UTF-8 already set", (await h.RunAsync("locale.system", "C.UTF-8"))["comment"]);
        var test = await h.RunAsync("locale.system", "C.utf8", test: true);
        Assert.Null(test["result"]);
        Assert.Equal("System locale C.utf8 needs to be set", test["comment"]);
        var set = await h.RunAsync("locale.system", "C.utf8");
        Assert.Equal("Set system locale C.utf8", set["comment"]);
        Assert.Contains("LANG=\"C.utf8\"", File.ReadAllText(Path.Combine(root, "etc", "default", "locale")));
        Assert.Equal("System locale C.utf8 already set", (await h.RunAsync("locale.system", "C.utf8"))["comment"]);
    }

    [Fact]
    public async Task Locale_Present_AvailableTestModeAndBogus()
    {
        var h = Harness(new LocaleModule(_runner, _dir.Combine("lroot2")));
        Assert.Equal("Locale C.UTF-8 is already present", (await h.RunAsync("locale.present", "C.UTF-8"))["comment"]);
        var test = await h.RunAsync("locale.present", "xx_YY.UTF-8", test: true);
        Assert.Null(test["result"]);
        Assert.Equal("Locale xx_YY.UTF-8 needs to be generated", test["comment"]);
        var bad = await h.RunAsync("locale.present", "xx_YY.UTF-8");
        Assert.Equal(false, bad["result"]);
        Assert.Equal("Failed to generate locale xx_YY.UTF-8", bad["comment"]);
    }

    [Fact]
    public async Task Service_MaskedUnmasked_OfflineSystemdAsSalt()
    {
        if (!HostCommandProbe.Which("systemctl"))
        {
            return;
        }
        var root = _dir.Combine("sdroot");
        Directory.CreateDirectory(root);
        var h = Harness(new ServiceModule(() => throw new InvalidOperationException("not used"), _runner, root));
        var test = await h.RunAsync("service.masked", "orch-demo", test: true);
        Assert.Null(test["result"]);
        Assert.Equal("Service orch-demo would be masked", test["comment"]);
        Assert.Equal("{\"masked\":{\"old\":false,\"new\":true}}", Orchestrator.Shared.Data.DataTree.ToJson(test["changes"], indent: false));

        var masked = await h.RunAsync("service.masked", "orch-demo");
        Assert.Equal(true, masked["result"]);
        Assert.Equal("Service orch-demo was masked", masked["comment"]);
        Assert.Equal("/dev/null", new FileInfo(Path.Combine(root, "etc", "systemd", "system", "orch-demo.service")).LinkTarget);

        Assert.Equal("Service orch-demo is already masked", (await h.RunAsync("service.masked", "orch-demo"))["comment"]);

        // Salt's offline mode: in a later run (a new job), the unit file in /etc/systemd/system makes the unit-change check ask
        // systemd, which fails.
        h = Harness(new ServiceModule(() => throw new InvalidOperationException("not used"), _runner, root));
        var again = await h.RunAsync("service.masked", "orch-demo");
        Assert.Equal(false, again["result"]);
        Assert.Equal("Cannot run in offline mode. Failed to get information on unit 'orch-demo'", again["comment"]);
        h = Harness(new ServiceModule(() => throw new InvalidOperationException("not used"), _runner, root));
        var unmask = await h.RunAsync("service.unmasked", "orch-demo");
        Assert.Equal(false, unmask["result"]);
        Assert.Equal("Service other was already unmasked", (await h.RunAsync("service.unmasked", "other"))["comment"]);
    }

    [Fact]
    public async Task Service_MaskedUnmasked_WithRunningSystemdLayout()
    {
        if (!HostCommandProbe.Which("systemctl"))
        {
            return;
        }
        var root = _dir.Combine("sdroot2");
        Directory.CreateDirectory(Path.Combine(root, "run", "systemd", "system"));
        var h = Harness(new ServiceModule(() => throw new InvalidOperationException("not used"), _runner, root));
        Assert.Equal("Service orch-demo was masked", (await h.RunAsync("service.masked", "orch-demo"))["comment"]);
        Assert.Equal("Service orch-demo is already masked", (await h.RunAsync("service.masked", "orch-demo"))["comment"]);
        Assert.Equal("Service orch-demo would be unmasked", (await h.RunAsync("service.unmasked", "orch-demo", test: true))["comment"]);
        Assert.Equal("Service orch-demo was unmasked", (await h.RunAsync("service.unmasked", "orch-demo"))["comment"]);
        Assert.False(File.Exists(Path.Combine(root, "etc", "systemd", "system", "orch-demo.service")));
    }

    [Fact]
    public async Task CronEnv_PresentUpdateAbsent_WithFakeCrontab()
    {
        var bin = _dir.Combine("bin");
        Directory.CreateDirectory(bin);
        var tab = _dir.Combine("tab");
        File.WriteAllText(Path.Combine(bin, "crontab"),
            $"#!/bin/sh\nif [ \"$1\" = \"-l\" ]; then [ -f {tab} ] && cat {tab} || {{ echo 'no crontab' >&2; exit 1; }}; else cat > {tab}; fi\n");
        File.SetUnixFileMode(Path.Combine(bin, "crontab"), (UnixFileMode)Convert.ToInt32("755", 8));
        var h = Harness();
        h.Cmd.PathPrefix = bin;

        Assert.Equal("Cron env MAILTO is set to be added", (await h.RunAsync("cron.env_present", "MAILTO", new() { ["value"] = "ops@example" }, test: true))["comment"]);
        Assert.Equal("Cron /usr/bin/backup added to root's crontab", (await h.RunAsync("cron.present", "/usr/bin/backup", new() { ["minute"] = "5" }))["comment"]);
        var added = await h.RunAsync("cron.env_present", "MAILTO", new() { ["value"] = "ops@example" });
        Assert.Equal("Cron env MAILTO added to root's crontab", added["comment"]);
        Assert.Equal("# Lines below here are managed by Salt, do not edit\nMAILTO=ops@example\n# SALT_CRON_IDENTIFIER:/usr/bin/backup\n5 * * * * /usr/bin/backup\n",
            File.ReadAllText(tab));
        Assert.Equal("Cron env MAILTO already present", (await h.RunAsync("cron.env_present", "MAILTO", new() { ["value"] = "ops@example" }))["comment"]);
        Assert.Equal("Cron env MAILTO is set to be updated", (await h.RunAsync("cron.env_present", "MAILTO", new() { ["value"] = "x@y" }, test: true))["comment"]);
        Assert.Equal("Cron env MAILTO updated", (await h.RunAsync("cron.env_present", "MAILTO", new() { ["value"] = "x@y" }))["comment"]);
        Assert.Equal("Cron env MAILTO is set to be removed", (await h.RunAsync("cron.env_absent", "MAILTO", test: true))["comment"]);
        Assert.Equal("Cron env MAILTO removed from root's crontab", (await h.RunAsync("cron.env_absent", "MAILTO"))["comment"]);
        Assert.DoesNotContain("MAILTO", File.ReadAllText(tab));
        Assert.Equal("Cron env MAILTO already absent", (await h.RunAsync("cron.env_absent", "MAILTO"))["comment"]);
    }

    [Fact]
    public async Task CronEnv_CrontabFailure_IsReported()
    {
        var bin = _dir.Combine("bin2");
        Directory.CreateDirectory(bin);
        File.WriteAllText(Path.Combine(bin, "crontab"), "#!/bin/sh\nif [ \"$1\" = \"-l\" ]; then exit 1; fi\necho 'crontab: bad user' >&2; exit 1\n");
        File.SetUnixFileMode(Path.Combine(bin, "crontab"), (UnixFileMode)Convert.ToInt32("755", 8));
        var h = Harness();
        h.Cmd.PathPrefix = bin;
        var r = await h.RunAsync("cron.env_present", "MAILTO", new() { ["value"] = "a", ["user"] = "nobody-here" });
        Assert.Equal(false, r["result"]);
        Assert.Equal("Cron env MAILTO for user nobody-here failed to commit with error \ncrontab: bad user", r["comment"]);
    }

    private Dictionary<string, string?> DebconfDb()
    {
        var d = _dir.Combine("debconf");
        Directory.CreateDirectory(d);
        File.WriteAllText(Path.Combine(d, "debconf.conf"),
            $"Config: configdb\nTemplates: templatedb\n\nName: configdb\nDriver: File\nFilename: {d}/config.dat\n\nName: templatedb\nDriver: File\nMode: 644\nFilename: {d}/templates.dat\n");
        return new Dictionary<string, string?> { ["DEBCONF_SYSTEMRC"] = Path.Combine(d, "debconf.conf") };
    }

    [Fact]
    public async Task Debconf_Set_PreseedsAThrowAwayDatabase()
    {
        if (!HostCommandProbe.Which("debconf-get-selections"))
        {
            // debconf-utils is what Salt's debconf module needs; CI installs it (apt-get install debconf-utils).
            return;
        }
        var h = Harness(new DebconfModule(_runner, DebconfDb()));
        var data = new Dictionary<string, object?>
        {
            ["orchdemo/mode"] = new Dictionary<string, object?> { ["type"] = "select", ["value"] = "fast" },
            ["orchdemo/enabled"] = new Dictionary<string, object?> { ["type"] = "boolean", ["value"] = true },
        };
        var test = await h.RunAsync("debconf.set", "orchdemo", new() { ["data"] = data }, test: true);
        Assert.Null(test["result"]);
        Assert.Equal("New value: fast", Changes(test)["orchdemo/mode"]);
        Assert.Equal("New value: true", Changes(test)["orchdemo/enabled"]);

        var set = await h.RunAsync("debconf.set", "orchdemo", new() { ["data"] = data });
        Assert.Equal(true, set["result"]);
        Assert.Equal("fast", Changes(set)["orchdemo/mode"]);
        var again = await h.RunAsync("debconf.set", "orchdemo", new() { ["data"] = data });
        Assert.Equal("All specified answers are already set", again["comment"]);
    }

    [Fact]
    public async Task Debconf_Set_BadData_Fails()
    {
        var h = Harness(new DebconfModule(_runner, DebconfDb()));
        var r = await h.RunAsync("debconf.set", "orchdemo", new() { ["data"] = new Dictionary<string, object?> { ["orchdemo/q"] = "no type" } });
        Assert.Equal(false, r["result"]);
        var notDebian = Harness(new DebconfModule(_runner, DebconfDb()));
        notDebian.Context.Grains["os_family"] = "RedHat";
        var other = await notDebian.RunAsync("debconf.set", "orchdemo", new() { ["data"] = new Dictionary<string, object?>() });
        Assert.Equal(false, other["result"]);
        Assert.Contains("not supported on this OS", (string)other["comment"]!);
    }

    [Fact]
    public async Task Alternatives_InstallAndSet_UnderThrowAwayRoot()
    {
        if (!HostCommandProbe.Which("update-alternatives"))
        {
            return;
        }
        var root = _dir.Combine("altroot");
        foreach (var dir in new[] { "etc/alternatives", "var/lib/dpkg/alternatives", "usr/bin", "var/log" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }
        File.WriteAllText(Path.Combine(root, "usr/bin/orch-one"), "one");
        File.WriteAllText(Path.Combine(root, "usr/bin/orch-two"), "two");
        var h = Harness(new AlternativesModule(_runner, root));
        var args = new Dictionary<string, object?> { ["link"] = "/usr/bin/orchalt", ["path"] = "/usr/bin/orch-one", ["priority"] = 10L };

        var test = await h.RunAsync("alternatives.install", "orchalt", args, test: true);
        Assert.Null(test["result"]);
        Assert.Equal("Alternative will be set for orchalt to /usr/bin/orch-one with priority 10", test["comment"]);
        var installed = await h.RunAsync("alternatives.install", "orchalt", args);
        Assert.Equal(true, installed["result"]);
        Assert.Equal("Alternative for orchalt set to path /usr/bin/orch-one with priority 10", installed["comment"]);
        Assert.Equal("/usr/bin/orch-one", new FileInfo(Path.Combine(root, "etc/alternatives/orchalt")).LinkTarget);
        Assert.Equal("Alternative /usr/bin/orch-one for orchalt is already registered", (await h.RunAsync("alternatives.install", "orchalt", args))["comment"]);

        var two = new Dictionary<string, object?> { ["link"] = "/usr/bin/orchalt", ["path"] = "/usr/bin/orch-two", ["priority"] = 5L };
        Assert.Equal("Alternative /usr/bin/orch-two for orchalt registered with priority 5 and not set to default",
            (await h.RunAsync("alternatives.install", "orchalt", two))["comment"]);
        Assert.Equal("Alternative for orchalt will be set to path /usr/bin/orch-two",
            (await h.RunAsync("alternatives.set", "orchalt", new() { ["path"] = "/usr/bin/orch-two" }, test: true))["comment"]);
        Assert.Equal("Alternative for orchalt set to path /usr/bin/orch-two",
            (await h.RunAsync("alternatives.set", "orchalt", new() { ["path"] = "/usr/bin/orch-two" }))["comment"]);
        Assert.Equal("Alternative for orchalt already set to /usr/bin/orch-two",
            (await h.RunAsync("alternatives.set", "orchalt", new() { ["path"] = "/usr/bin/orch-two" }))["comment"]);

        var bad = await h.RunAsync("alternatives.set", "orchalt", new() { ["path"] = "/usr/bin/orch-none" });
        Assert.Equal(false, bad["result"]);
        Assert.Equal("Alternative /usr/bin/orch-none for orchalt doesn't exist", bad["comment"]);
        var missing = await h.RunAsync("alternatives.install", "orchalt", new() { ["link"] = "/usr/bin/orchalt", ["path"] = "/usr/bin/orch-none", ["priority"] = 1L });
        Assert.Equal(false, missing["result"]);
        Assert.StartsWith("Alternative for orchalt not installed: ", (string)missing["comment"]!);
    }

    [Fact]
    public async Task Group_Present_MembersAddusersDelusers_OnRealHost()
    {
        if (!IsRoot() || !HostCommandProbe.Which("gpasswd"))
        {
            return;
        }
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var group = "orchm" + suffix;
        var user = "orchn" + suffix;
        var h = Harness(new GroupModule(new EtcAccountDatabase(), _runner));
        try
        {
            Assert.Equal($"New group {group} created", (await h.RunAsync("group.present", group))["comment"]);
            await h.RunAsync("cmd.run", $"useradd -M -N {user}");
            var members = new Dictionary<string, object?> { ["members"] = new List<object?> { user } };
            var test = await h.RunAsync("group.present", group, members, test: true);
            Assert.Null(test["result"]);
            Assert.Equal($"The following group attributes are set to be changed:\nmembers: ['{user}']\n", test["comment"]);
            var set = await h.RunAsync("group.present", group, members);
            Assert.Equal(true, set["result"]);
            Assert.Equal("All changes applied successfully", Changes(set)["Final"]);
            Assert.Equal($"Group {group} is present and up to date", (await h.RunAsync("group.present", group, members))["comment"]);
            var del = await h.RunAsync("group.present", group, new() { ["delusers"] = new List<object?> { user } });
            Assert.Equal($"The following group attributes are set to be changed:\ndelusers: ['{user}']\n", del["comment"]);
            Assert.Equal($"Group {group} is present and up to date", (await h.RunAsync("group.present", group, new() { ["delusers"] = new List<object?> { user } }))["comment"]);

            var ghost = await h.RunAsync("group.present", group, new() { ["addusers"] = new List<object?> { "orch-no-such-user" } });
            Assert.Equal(false, ghost["result"]);
            Assert.EndsWith("Some changes could not be applied", (string)ghost["comment"]!);
            var conflict = await h.RunAsync("group.present", group, new() { ["members"] = new List<object?> { user }, ["addusers"] = new List<object?> { user } });
            Assert.Null(conflict["result"]);
            Assert.StartsWith("Error: Conflicting options \"members\"", (string)conflict["comment"]!);
        }
        finally
        {
            await h.RunAsync("cmd.run", $"userdel {user} 2>/dev/null; groupdel {group} 2>/dev/null; true");
        }
    }

    private const string Line = "deb [signed-by=/etc/apt/keyrings/orch.gpg] http://deb.example.invalid/debian bookworm main";

    [Fact]
    public async Task PkgRepo_ManagedAbsent_InSourcesListD()
    {
        var root = _dir.Combine("aptroot");
        Directory.CreateDirectory(Path.Combine(root, "etc/apt/sources.list.d"));
        File.WriteAllText(Path.Combine(root, "etc/apt/sources.list"), "deb http://deb.debian.org/debian bookworm main\n");
        var h = Harness(new PkgModule(() => throw new InvalidOperationException("not used"), _runner, root));
        var file = "/etc/apt/sources.list.d/orch.list";
        var args = new Dictionary<string, object?> { ["file"] = file, ["refresh"] = false, ["comments"] = new List<object?> { "managed", "by orch" } };

        var test = await h.RunAsync("pkgrepo.managed", Line, args, test: true);
        Assert.Null(test["result"]);
        Assert.StartsWith($"Package repo '{Line}' would be configured.", (string)test["comment"]!);
        Assert.Equal(Line, Changes(test)["repo"]);
        Assert.False(File.Exists(Path.Combine(root, "etc/apt/sources.list.d/orch.list")));

        var made = await h.RunAsync("pkgrepo.managed", Line, args);
        Assert.Equal(true, made["result"]);
        Assert.Equal($"Configured package repo '{Line}'", made["comment"]);
        Assert.Equal(Line + " #managed by orch\n", File.ReadAllText(Path.Combine(root, "etc/apt/sources.list.d/orch.list")));
        Assert.Equal($"Package repo '{Line}' already configured", (await h.RunAsync("pkgrepo.managed", Line, args))["comment"]);

        var comps = new Dictionary<string, object?>(args) { ["comps"] = "main,contrib" };
        var change = await h.RunAsync("pkgrepo.managed", Line, comps, test: true);
        Assert.Null(change["result"]);
        Assert.True(Changes(change).ContainsKey("comps"));
        var keyed = new Dictionary<string, object?>(args) { ["keyid"] = "0xDEADBEEF", ["keyserver"] = "keyserver.invalid", ["comps"] = "main,contrib" };
        Assert.Null((await h.RunAsync("pkgrepo.managed", Line, keyed, test: true))["result"]);

        Assert.StartsWith($"Package repo '{Line}' will be removed.", (string)(await h.RunAsync("pkgrepo.absent", Line, test: true))["comment"]!);
        var removed = await h.RunAsync("pkgrepo.absent", Line, new() { ["refresh"] = false });
        Assert.Equal(true, removed["result"]);
        Assert.Equal($"Removed repo {Line}", removed["comment"]);
        Assert.False(File.Exists(Path.Combine(root, "etc/apt/sources.list.d/orch.list")));
        Assert.Equal($"Package repo {Line} is absent", (await h.RunAsync("pkgrepo.absent", Line))["comment"]);
        Assert.Equal("deb http://deb.debian.org/debian bookworm main\n", File.ReadAllText(Path.Combine(root, "etc/apt/sources.list")));
    }

    [Fact]
    public async Task PkgRepo_Managed_BadInput_Fails()
    {
        var root = _dir.Combine("aptroot2");
        Directory.CreateDirectory(Path.Combine(root, "etc/apt"));
        var h = Harness(new PkgModule(() => throw new InvalidOperationException("not used"), _runner, root));
        var bad = await h.RunAsync("pkgrepo.managed", "this is not a sources line", new() { ["refresh"] = false });
        Assert.Equal(false, bad["result"]);
        Assert.StartsWith("Failed to examine repo 'this is not a sources line': ", (string)bad["comment"]!);
        var both = await h.RunAsync("pkgrepo.managed", Line, new() { ["key_url"] = "salt://k.gpg", ["keyid"] = "1" });
        Assert.Equal(false, both["result"]);
        Assert.Equal("You may not use both \"keyid\"/\"keyserver\" and \"key_url\" argument.", both["comment"]);
        var offlineKey = await h.RunAsync("pkgrepo.managed", Line, new() { ["key_url"] = "file:///nonexistent/orch.gpg", ["refresh"] = false });
        Assert.Equal(false, offlineKey["result"]);
        Assert.Equal($"Failed to configure repo '{Line}': Error: file not found: file:///nonexistent/orch.gpg", offlineKey["comment"]);
        h.Context.Grains["os_family"] = "RedHat";
        var other = await h.RunAsync("pkgrepo.managed", Line);
        Assert.Equal(false, other["result"]);
        Assert.Contains("not supported on this OS", (string)other["comment"]!);
    }
}

internal static class HostCommandProbe
{
    public static bool Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => File.Exists(Path.Combine(d, tool)));
}
