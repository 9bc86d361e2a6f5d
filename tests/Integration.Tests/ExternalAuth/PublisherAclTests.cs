using Orchestrator.Master.ExternalAuth;
using Orchestrator.Master.Jobs;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Ipc;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests.ExternalAuth;

/// <summary>
/// Scenario: publisher_acl over the real IPC socket. A master with a publisher_acl for a user made by useradd opens its
/// socket to local users; that user runs the real orch binary (runuser): the allowed test.ping answers, a denied cmd.run
/// and a denied key action are refused with a clear message and a nonzero exit; a user without an entry gets nothing;
/// a hand-made request claiming to be root changes nothing, because the master reads the caller from SO_PEERCRED.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class PublisherAclTests
{
    private const string ForgeScript = """
        import socket, struct, sys
        frame = open(sys.argv[2], 'rb').read()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sys.argv[1])
        s.sendall(frame)
        def read(n):
            data = b''
            while len(data) < n:
                chunk = s.recv(n - len(data))
                if not chunk:
                    sys.exit(3)
                data += chunk
            return data
        header = read(4)
        sys.stdout.write((header + read(struct.unpack('>i', header)[0])).hex())
        """;

    private static string Orch => Executables.PathOf("orch");

    private static async Task<TestCluster> StartAsync(string user)
    {
        var config = (Dictionary<string, object?>)DataTree.Normalize(PyYaml.Load($$"""
            publisher_acl:
              {{user}}: ['test.*', {'@wheel': ['key.list_all']}]
            publisher_acl_blacklist:
              modules: ['pkg.*']
            """))!;
        var cluster = await TestCluster.StartAsync(o => o.Eauth = EauthOptions.FromConfig(config, "master"));
        // The test's temp tree is 0700 (root's); an operator's /etc and /var/run path is traversable: make this one so too.
        File.SetUnixFileMode(cluster.Root.Path, (UnixFileMode)0b111_001_001);
        File.SetUnixFileMode(cluster.Root.Combine("master"), (UnixFileMode)0b111_001_001);
        File.SetUnixFileMode(cluster.ConfigDir, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(cluster.ConfigDir, "master"), (UnixFileMode)0b110_100_100);
        await cluster.AddMinionAsync("acl-m1");
        return cluster;
    }

    /// <summary>Sends one hand-made IPC frame as <paramref name="user"/> and returns the master's first answer.</summary>
    private static async Task<Dictionary<string, object?>> ForgeAsync(TestCluster cluster, SystemTestUser user, Dictionary<string, object?> request)
    {
        var dir = cluster.Root.Combine("forge");
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        var script = Path.Combine(dir, "forge.py");
        var frame = Path.Combine(dir, "frame.bin");
        await File.WriteAllTextAsync(script, ForgeScript);
        await File.WriteAllBytesAsync(frame, IpcFraming.Encode(request));
        File.SetUnixFileMode(script, (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(frame, (UnixFileMode)0b110_100_100);
        var (exit, stdout, stderr) = user.RunAs("/usr/bin/python3", script, cluster.MasterOptions.SocketPath, frame);
        Assert.True(exit == 0, $"forging client failed: {stderr}");
        return (await IpcFraming.ReadAsync(new MemoryStream(Convert.FromHexString(stdout.Trim())), CancellationToken.None))!;
    }

    [RootFact]
    public async Task AclUser_RunsTheRealCli_AllowedWorksDeniedIsRefused()
    {
        using var user = new SystemTestUser();
        await using var cluster = await StartAsync(user.Name);
        Assert.Equal((UnixFileMode)0b111_001_001, File.GetUnixFileMode(cluster.MasterOptions.SockDir));
        Assert.Equal((UnixFileMode)0b110_110_110, File.GetUnixFileMode(cluster.MasterOptions.SocketPath));

        var ping = user.RunAs(Orch, "-c", cluster.ConfigDir, "acl-m1", "test.ping");
        Assert.True(ping.Exit == 0, $"test.ping as {user.Name}: exit {ping.Exit}\n{ping.Stdout}\n{ping.Stderr}");
        Assert.Contains("acl-m1", ping.Stdout, StringComparison.Ordinal);
        Assert.Contains("True", ping.Stdout, StringComparison.Ordinal);

        var run = user.RunAs(Orch, "-c", cluster.ConfigDir, "acl-m1", "cmd.run", "id");
        Assert.NotEqual(0, run.Exit);
        Assert.Contains($"user {user.Name} is not permitted to run 'cmd.run'", run.Stdout + run.Stderr, StringComparison.Ordinal);

        var blacklisted = user.RunAs(Orch, "-c", cluster.ConfigDir, "acl-m1", "pkg.version", "vim");
        Assert.NotEqual(0, blacklisted.Exit);
        Assert.Contains("publisher_acl_blacklist", blacklisted.Stdout + blacklisted.Stderr, StringComparison.Ordinal);

        var list = user.RunAs(Orch, "key", "-c", cluster.ConfigDir, "--list-all");
        Assert.True(list.Exit == 0, $"key --list-all as {user.Name}: {list.Stdout}\n{list.Stderr}");
        Assert.Contains("acl-m1", list.Stdout, StringComparison.Ordinal);

        var delete = user.RunAs(Orch, "key", "-c", cluster.ConfigDir, "--delete", "acl-m1", "--yes");
        Assert.NotEqual(0, delete.Exit);
        Assert.Contains("not permitted", delete.Stdout + delete.Stderr, StringComparison.Ordinal);
        Assert.Contains("acl-m1", (await cluster.CliVerbAsync("key", "--list-all")).Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task UserWithoutEntry_IsRefused()
    {
        using var allowed = new SystemTestUser();
        using var other = new SystemTestUser();
        await using var cluster = await StartAsync(allowed.Name);

        var ping = other.RunAs(Orch, "-c", cluster.ConfigDir, "acl-m1", "test.ping");

        Assert.NotEqual(0, ping.Exit);
        Assert.Contains($"user {other.Name} is not permitted to use the master", ping.Stdout + ping.Stderr, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task ForgedUserField_ChangesNothing()
    {
        using var user = new SystemTestUser();
        await using var cluster = await StartAsync(user.Name);

        var denied = await ForgeAsync(cluster, user, new(StringComparer.Ordinal)
        {
            ["op"] = "publish", ["fun"] = "cmd.run", ["arg"] = new List<object?> { "id" }, ["tgt"] = "acl-m1", ["tgt_type"] = "glob",
            ["user"] = "root",
        });
        Assert.Contains($"user {user.Name} is not permitted to run 'cmd.run'", denied.GetValueOrDefault("error") as string, StringComparison.Ordinal);

        var started = await ForgeAsync(cluster, user, new(StringComparer.Ordinal)
        {
            ["op"] = "publish", ["fun"] = "test.ping", ["arg"] = new List<object?>(), ["tgt"] = "acl-m1", ["tgt_type"] = "glob",
            ["user"] = "root", ["async"] = true,
        });
        var jid = Assert.IsType<string>(started["jid"]);
        Assert.Equal(user.Name, cluster.MasterService<IJobCache>().GetJob(jid)?.User);
    }
}
