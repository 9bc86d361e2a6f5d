using Orchestrator.Minion.Modules.Execution;
using Orchestrator.Minion.Modules.States;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.States;

public class FormulaStateDocTests
{
    private static readonly StateModuleRegistry _registry = new StateModuleRegistry().AddBuiltinStateModules();

    [Theory]
    [InlineData("file.blockreplace", "marker_start")]
    [InlineData("file.accumulated", "require_in")]
    [InlineData("file.serialize", "dataset_pillar")]
    [InlineData("file.keyvalue", "key_values")]
    [InlineData("module.run", "m_name")]
    [InlineData("module.wait", "watch")]
    [InlineData("ssh_auth.present", "authorized_keys")]
    [InlineData("ssh_auth.absent", "source")]
    [InlineData("ssh_known_hosts.present", "fingerprint")]
    [InlineData("ssh_known_hosts.absent", "known_hosts")]
    [InlineData("git.config_set", "multivar")]
    [InlineData("git.config_unset", "value_regex")]
    public void StateDoc_DescribesItsArguments(string function, string mentioned)
    {
        var found = _registry.Find(function);
        Assert.NotNull(found);
        Assert.Contains(mentioned, found.Doc, StringComparison.Ordinal);
    }

    [Fact]
    public void ModuleWait_HasModWatch()
    {
        Assert.True(_registry.Exists("module.mod_watch"));
    }

    [Fact]
    public void BlockReplace_KeepsCrlfAndMarkers()
    {
        using var dir = new TempDir();
        var path = dir.Combine("f.txt");
        File.WriteAllText(path, "a\r\n#s\r\nold\r\n#e tail\r\nz\r\n");

        var diff = BlockReplace.Run(path, "#s", "#e", new BlockReplaceOptions("new") { Backup = null });

        Assert.Equal("a\r\n#s\r\nnew\r\n#e tail\r\nz\r\n", File.ReadAllText(path));
        Assert.Contains("-old\r\n+new\r\n", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void BlockReplace_UnterminatedBlock_Fails()
    {
        using var dir = new TempDir();
        var path = dir.Combine("f.txt");
        File.WriteAllText(path, "#s\nno end\n");

        var e = Assert.Throws<Orchestrator.Minion.Modules.ModuleException>(() => BlockReplace.Run(path, "#s", "#e", new BlockReplaceOptions("x")));

        Assert.Equal("Unterminated marked block. End of file reached before marker_end.", e.Message);
        Assert.Equal("#s\nno end\n", File.ReadAllText(path));
    }

    [Fact]
    public void SshKeys_FingerprintAndLineSplit()
    {
        Assert.Null(SshKeys.Fingerprint("not base64!", null));
        Assert.Equal(16, SshKeys.Fingerprint("AAAA", "md5")!.Split(':').Length);
        Assert.Equal("ecdsa-sha2-nistp256", SshKeys.RefineEnc("ecdsa"));
        Assert.Throws<Orchestrator.Minion.Modules.ModuleException>(() => SshKeys.RefineEnc("rot13"));
        var m = SshKeys.LineRegex().Match("no-pty,command=\"x\" ssh-ed25519 AAAA me@host");
        Assert.Equal("no-pty,command=\"x\"", m.Groups[1].Value);
        Assert.Equal("ssh-ed25519 AAAA me@host", m.Groups[2].Value);
        Assert.Equal("/home/u/.ssh/u", SshKeys.ExpandPath("%h/.ssh/%u", "u", "/home/u"));
    }
}
