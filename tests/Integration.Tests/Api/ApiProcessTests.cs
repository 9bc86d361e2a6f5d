using System.Diagnostics;
using System.Net;
using System.Text;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests.Api;

/// <summary>
/// Scenario: the real orch-master as an operator runs it with rest_api: plain HTTP on a public address is refused at
/// start-up with a message naming the key; on loopback the API answers a login from the master config's file eauth, and
/// SIGTERM stops the master while an event stream is open, ending the stream.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class ApiProcessTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Config(string restApi)
    {
        var dir = _dir.Combine("etc");
        Directory.CreateDirectory(dir);
        File.WriteAllText(_dir.Combine("users"), "ops:opspw\n");
        File.WriteAllText(Path.Combine(dir, "master"), $"""
            interface: 127.0.0.1
            publish_port: {Executables.FreePort()}
            ret_port: {Executables.FreePort()}
            pki_dir: {_dir.Combine("m", "pki")}
            cachedir: {_dir.Combine("m", "cache")}
            sock_dir: {_dir.Combine("m", "sock")}
            log_file: {_dir.Combine("m", "master.log")}
            log_level: quiet
            external_auth:
              file:
                ^filename: {_dir.Combine("users")}
                ops: ['test.*', '@jobs']
            rest_api:
            {restApi}
            """);
        return dir;
    }

    [Fact]
    public async Task DisableSsl_OnAPublicAddress_RefusedAtStartUp()
    {
        var dir = Config("  host: 0.0.0.0\n  disable_ssl: true");
        using var master = Executables.Start("orch-master", drain: false, "-c", dir);
        var stderr = await master.StandardError.ReadToEndAsync();
        await master.WaitForExitAsync();

        Assert.Equal(78, master.ExitCode);
        Assert.Contains("disable_ssl", stderr);
        Assert.Contains("loopback", stderr);
    }

    [Fact]
    public async Task Loopback_ServesLogin_AndSigtermEndsAnOpenEventStream()
    {
        var port = Executables.FreePort();
        var dir = Config($"  port: {port}\n  disable_ssl: true");
        using var master = Executables.Start("orch-master", drain: true, "-c", dir);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        HttpResponseMessage? login = null;
        await Poll.UntilAsync(async () =>
        {
            Assert.False(master.HasExited, "orch-master exited");
            try
            {
                login = await http.PostAsync("/login", new StringContent("{\"username\": \"ops\", \"password\": \"opspw\", \"eauth\": \"file\"}", Encoding.UTF8, "application/json"));
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the API of orch-master to answer");
        Assert.Equal(HttpStatusCode.OK, login!.StatusCode);
        var token = login.Headers.GetValues("X-Auth-Token").Single();
        var perms = ((Dictionary<string, object?>)((List<object?>)((Dictionary<string, object?>)DataTree.FromJson(await login.Content.ReadAsStringAsync())!)["return"]!)[0]!)["perms"];
        using var request = new HttpRequestMessage(HttpMethod.Get, "/events");
        request.Headers.Add("X-Auth-Token", token);
        using var stream = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.Equal("retry: 400", await reader.ReadLineAsync());

        using (var kill = Process.Start("kill", ["-TERM", master.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }
        var rest = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await master.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["@jobs", "test.*"], (List<object?>)perms!);
        Assert.DoesNotContain("retry", rest);
        Assert.Equal(0, master.ExitCode);
    }
}
