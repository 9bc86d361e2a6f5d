using Orchestrator.Minion.Tests.States;

namespace Orchestrator.Minion.Tests.StateEngine;

public class ListenTestModeTests
{
    [Fact]
    public async Task Listen_TestRun_AddsListenerModWatch()
    {
        var conf = Path.Combine(Path.GetTempPath(), "orch-listen-" + Guid.NewGuid().ToString("N"), "web.conf");
        var sls = $"conf:\n  file.managed:\n    - name: {conf}\n    - contents: x\n    - makedirs: True\n"
            + "web:\n  service.running:\n    - listen:\n      - file: conf\n"
            + "db:\n  service.running: []\n"
            + "dbconf:\n  file.managed:\n    - name: " + conf + ".db\n    - contents: y\n    - listen_in:\n      - service: db\n";
        var result = await StateTestHarnessExtensions.ApplyWithModulesAsync(sls, [new FakeServiceModule()], test: true);
        Assert.Null(result.States[$"file_|-conf_|-{conf}_|-managed"]["result"]);
        var web = result.States["service_|-listener_web_|-web_|-mod_watch"];
        Assert.Null(web["result"]);
        Assert.Equal("Service is set to be started", web["comment"]);
        Assert.Equal("Service is set to be started", result.States["service_|-listener_db_|-db_|-mod_watch"]["comment"]);
        Assert.False(File.Exists(conf));
    }
}
