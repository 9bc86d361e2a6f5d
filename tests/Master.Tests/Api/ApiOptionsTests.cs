using Orchestrator.Master.Api;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Config;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Api;

public sealed class ApiOptionsTests
{
    private static MasterOptions Load(TempDir dir, string yaml, List<string>? warnings = null)
    {
        File.WriteAllText(dir.Combine("master"), yaml);
        return MasterOptions.Load(dir.Path, (warnings ?? []).Add);
    }

    [Fact]
    public void NoSection_NoApi()
    {
        using var dir = new TempDir();

        Assert.Null(Load(dir, "id: m\n").RestApi);
    }

    [Fact]
    public void DisableSslOnLoopback_Defaults()
    {
        using var dir = new TempDir();

        var api = Load(dir, "rest_api:\n  disable_ssl: true\n").RestApi!;

        Assert.Equal(8000, api.Port);
        Assert.Equal("127.0.0.1", api.Host);
        Assert.True(api.DisableSsl);
        Assert.Empty(api.CorsOrigins);
        Assert.False(api.Webhooks);
        Assert.Equal(10, api.LoginRateLimit);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.10")]
    [InlineData("::")]
    public void DisableSsl_OffLoopback_IsRefused(string host)
    {
        using var dir = new TempDir();

        var e = Assert.Throws<ConfigException>(() => Load(dir, $"rest_api:\n  host: '{host}'\n  disable_ssl: true\n"));

        Assert.Contains("disable_ssl", e.Message);
        Assert.Contains("loopback", e.Message);
    }

    [Fact]
    public void Tls_WithoutCertificate_IsRefused()
    {
        using var dir = new TempDir();

        var e = Assert.Throws<ConfigException>(() => Load(dir, "rest_api:\n  port: 8443\n"));

        Assert.Contains("ssl_crt and ssl_key", e.Message);
    }

    [Fact]
    public void Tls_MissingCertificateFile_IsRefused_NamingIt()
    {
        using var dir = new TempDir();

        var e = Assert.Throws<ConfigException>(() => Load(dir, "rest_api:\n  ssl_crt: api.crt\n  ssl_key: api.key\n"));

        Assert.Contains(dir.Combine("api.crt"), e.Message);
    }

    [Fact]
    public void Tls_RelativePaths_ResolveAgainstTheConfigDir()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("api.crt"), "");
        File.WriteAllText(dir.Combine("api.key"), "");

        var api = Load(dir, "rest_api:\n  host: 0.0.0.0\n  ssl_crt: api.crt\n  ssl_key: api.key\n  cors_origins: [https://a.example]\n  webhooks: true\n").RestApi!;

        Assert.Equal(dir.Combine("api.crt"), api.SslCrt);
        Assert.Equal(["https://a.example"], api.CorsOrigins);
        Assert.True(api.Webhooks);
    }

    [Theory]
    [InlineData("port: 0")]
    [InlineData("port: 70000")]
    [InlineData("port: eighty")]
    [InlineData("host: example.com")]
    [InlineData("webhooks: maybe")]
    [InlineData("login_rate_limit: -1")]
    [InlineData("cors_origins: {a: b}")]
    public void BadValues_AreRefused(string line)
    {
        using var dir = new TempDir();

        Assert.Throws<ConfigException>(() => Load(dir, $"rest_api:\n  disable_ssl: true\n  {line}\n"));
    }

    [Fact]
    public void UnknownKey_IsAWarning()
    {
        using var dir = new TempDir();
        var warnings = new List<string>();

        Load(dir, "rest_api:\n  disable_ssl: true\n  disable_sll: true\n", warnings);

        Assert.Contains(warnings, w => w.Contains("rest_api:disable_sll"));
    }
}
