using Orchestrator.Master.Cloud;
using Orchestrator.Shared.Config;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Cloud;

public sealed class CloudConfigTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    private void Write(string relative, string yaml)
    {
        var path = _dir.Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
    }

    [Fact]
    public void Load_ReadsMasterConfigAndDotDFiles()
    {
        Write("cloud.providers.d/local.conf", "my-local:\n  driver: local\n  root_dir: /srv/nodes\n");
        Write("cloud.providers.d/ignored.txt", "other:\n  driver: local\n");
        Write("cloud.profiles.d/web.conf", "web:\n  provider: my-local\n  minion:\n    grains:\n      role: web\n");
        var master = Map(
            ("cloud_providers", Map(("ns", Map(("driver", "netns"), ("subnet", "10.99.0.0/24"))))),
            ("cloud_profiles", Map(("db", Map(("provider", "ns"))))));

        var config = CloudConfig.Load(master, _dir.Path);

        Assert.Equal(["my-local", "ns"], config.Providers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("netns", config.Providers["ns"].Driver);
        Assert.Equal(["db", "web"], config.Profiles.Keys.Order(StringComparer.Ordinal));
        Assert.EndsWith("web.conf", config.Profiles["web"].Source, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveProfile_MergesProviderThenProfileAndNamesTheVm()
    {
        Write("cloud.providers", "my-local:\n  driver: local\n  root_dir: /srv/nodes\n  minion:\n    log_level: debug\n");
        Write("cloud.profiles", "web:\n  provider: my-local\n  minion:\n    grains:\n      role: web\n");

        var vm = CloudConfig.Load(Map(), _dir.Path).ResolveProfile("web", "web3");

        Assert.Equal("web3", vm.Name);
        Assert.Equal("my-local:local", vm.Settings["provider"]);
        Assert.Equal("local", vm.Settings["driver"]);
        Assert.Equal("/srv/nodes", vm.Settings["root_dir"]);
        Assert.Equal("debug", vm.MinionOptions["log_level"]);
        Assert.Equal("web", ((Dictionary<string, object?>)vm.MinionOptions["grains"]!)["role"]);
    }

    [Fact]
    public void ResolveProfile_ExtendsMergesTheParentDeeply()
    {
        Write("cloud.providers", "p:\n  driver: local\n");
        Write("cloud.profiles.d/a.conf", """
            base:
              provider: p
              start_timeout: 30
              minion:
                grains:
                  role: base
                  tier: one
            web:
              extends: base
              minion:
                grains:
                  role: web
            """);

        var vm = CloudConfig.Load(Map(), _dir.Path).ResolveProfile("web", "w1");

        var grains = (Dictionary<string, object?>)vm.MinionOptions["grains"]!;
        Assert.Equal("web", grains["role"]);
        Assert.Equal("one", grains["tier"]);
        Assert.Equal(30L, vm.Settings["start_timeout"]);
        Assert.False(vm.Settings.ContainsKey("extends"));
        Assert.Equal("web", vm.Profile);
    }

    [Fact]
    public void ResolveProfile_UnknownProviderFailsNamingIt()
    {
        Write("cloud.providers", "p:\n  driver: local\n");
        Write("cloud.profiles", "web:\n  provider: nowhere\n");

        var e = Assert.Throws<ArgumentException>(() => CloudConfig.Load(Map(), _dir.Path).ResolveProfile("web", "w1"));

        Assert.Contains("provider 'nowhere', which is not configured", e.Message, StringComparison.Ordinal);
        Assert.Contains("providers: p", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveProfile_ProviderWithWrongDriverSuffixIsNotFound()
    {
        Write("cloud.providers", "p:\n  driver: local\n");
        Write("cloud.profiles", "a:\n  provider: p:local\nb:\n  provider: p:ec2\n");
        var config = CloudConfig.Load(Map(), _dir.Path);

        Assert.Equal("p:local", config.ResolveProfile("a", "n").Settings["provider"]);
        Assert.Throws<ArgumentException>(() => config.ResolveProfile("b", "n"));
    }

    [Fact]
    public void ResolveProfile_UndefinedProfileListsTheDefinedOnes()
    {
        Write("cloud.providers", "p:\n  driver: local\n");
        Write("cloud.profiles", "web:\n  provider: p\n");

        var e = Assert.Throws<ArgumentException>(() => CloudConfig.Load(Map(), _dir.Path).ResolveProfile("db", "n"));

        Assert.Equal("Profile db is not defined (profiles: web)", e.Message);
    }

    [Theory]
    [InlineData("a:\n  extends: b\n  provider: p\nb:\n  extends: a\n", "extends loops through a -> b -> a")]
    [InlineData("a:\n  extends: missing\n", "profile 'a' extends 'missing', which is not defined")]
    [InlineData("a:\n  minion: {}\n", "profile 'a' (")]
    public void ResolveProfile_BrokenExtendsOrNoProviderFailsClearly(string profiles, string message)
    {
        Write("cloud.providers", "p:\n  driver: local\n");
        Write("cloud.profiles", profiles);

        var e = Assert.Throws<ArgumentException>(() => CloudConfig.Load(Map(), _dir.Path).ResolveProfile("a", "n"));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ANameDefinedTwiceFailsNamingBothPlaces()
    {
        Write("cloud.providers.d/a.conf", "p:\n  driver: local\n");
        Write("cloud.providers.d/b.conf", "p:\n  driver: netns\n");

        var e = Assert.Throws<ConfigException>(() => CloudConfig.Load(Map(), _dir.Path));

        Assert.Contains("b.conf: provider 'p' is already defined in", e.Message, StringComparison.Ordinal);
        Assert.Contains("a.conf", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("p:\n  root_dir: /x\n", "provider 'p' has no 'driver'")]
    [InlineData("p: just-a-string\n", "provider 'p' must be a mapping")]
    [InlineData("p: [1, 2\n", "invalid YAML")]
    public void Load_AMalformedProviderFailsNamingTheFile(string yaml, string message)
    {
        Write("cloud.providers.d/bad.conf", yaml);

        var e = Assert.Throws<ConfigException>(() => CloudConfig.Load(Map(), _dir.Path));

        Assert.Contains("bad.conf", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveProvider_UsesTheGivenSettingsOverTheProvider()
    {
        Write("cloud.providers", "p:\n  driver: local\n  start_timeout: 10\n");

        var vm = CloudConfig.Load(Map(), _dir.Path).ResolveProvider("p", "n1", Map(("start_timeout", 20L)));

        Assert.Null(vm.Profile);
        Assert.Equal(20L, vm.Settings["start_timeout"]);
        Assert.Equal("p:local", vm.Settings["provider"]);
    }

    [Fact]
    public void Load_NoConfigMeansNoProvidersAndProfiles()
    {
        var config = CloudConfig.Load(Map(), _dir.Path);

        Assert.Empty(config.Providers);
        var e = Assert.Throws<ArgumentException>(() => config.ResolveProfile("web", "n"));
        Assert.Contains("there are no cloud profiles configured", e.Message, StringComparison.Ordinal);
    }
}
