using Orchestrator.Master.ExternalAuth;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Config;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.ExternalAuth;

public sealed class EauthOptionsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private MasterOptions Load(string yaml)
    {
        File.WriteAllText(_dir.Combine("master"), yaml);
        return MasterOptions.Load(_dir.Path, _ => { });
    }

    [Fact]
    public void Load_SaltConfig_ReadsEveryKey()
    {
        var options = Load("""
            external_auth:
              pam:
                alice: ['.*', '@runner']
                'ops%': [{'web*': ['state.apply']}]
              file:
                ^filename: /etc/orch/users.htpasswd
                ^filetype: htpasswd
                bob: ['test.*']
            publisher_acl:
              carol: ['test.ping']
            publisher_acl_blacklist:
              users: ['root2']
              modules: ['cmd.*']
            token_expire: 600
            keep_acl_in_token: true
            auth.pam.service: orch
            """).Eauth;
        Assert.Equal(["alice", "ops%"], options.ExternalAuth["pam"].Keys);
        Assert.Equal(["bob"], options.ExternalAuth["file"].Keys);
        Assert.Equal("/etc/orch/users.htpasswd", options.File!.Filename);
        Assert.Equal("htpasswd", options.File.Filetype);
        Assert.Equal(["test.ping"], options.PublisherAcl["carol"]);
        Assert.True(options.PublisherAclEnabled);
        Assert.Equal(["root2"], options.BlacklistUsers);
        Assert.Equal(["cmd.*"], options.BlacklistModules);
        Assert.Equal(600, options.TokenExpire);
        Assert.True(options.KeepAclInToken);
        Assert.Equal("orch", options.PamService);
    }

    [Fact]
    public void Load_NoEauthKeys_Defaults()
    {
        var options = Load("id: m\n").Eauth;
        Assert.Empty(options.ExternalAuth);
        Assert.Null(options.File);
        Assert.False(options.PublisherAclEnabled);
        Assert.Equal(43200, options.TokenExpire);
        Assert.False(options.KeepAclInToken);
        Assert.Equal("login", options.PamService);
    }

    [Theory]
    [InlineData("external_auth:\n  ldap:\n    a: ['.*']\n", "not an eauth backend")]
    [InlineData("external_auth:\n  pam: ['.*']\n", "external_auth:pam")]
    [InlineData("external_auth:\n  pam:\n    alice: {x: y}\n", "external_auth:pam:alice")]
    [InlineData("external_auth:\n  pam:\n    alice: [{'a': 1, 'b': 2}]\n", "invalid permission")]
    [InlineData("external_auth:\n  file:\n    bob: ['.*']\n", "^filename")]
    [InlineData("external_auth:\n  file:\n    ^filename: /x\n    ^filetype: csv\n", "^filetype")]
    [InlineData("external_auth:\n  file:\n    ^filename: /x\n    ^filetype: htdigest\n", "^realm")]
    [InlineData("external_auth:\n  file:\n    ^filename: /x\n    ^hashtype: crc32\n", "^hashtype")]
    [InlineData("external_auth:\n  file:\n    ^filename: /x\n    ^username_field: 0\n", "^username_field")]
    [InlineData("publisher_acl:\n  carol: 5\n", "publisher_acl:carol")]
    [InlineData("publisher_acl_blacklist:\n  user: [root]\n", "publisher_acl_blacklist:user")]
    [InlineData("token_expire: 0\n", "token_expire")]
    public void Load_BadConfig_FailsNamingTheKey(string yaml, string named)
    {
        var error = Assert.Throws<ConfigException>(() => Load(yaml));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains(_dir.Combine("master"), error.Message, StringComparison.Ordinal);
    }
}
