// Orchestrator build: ./build.sh <target>  (targets: build, test, unit, integration, publish, demo, bench, nginx)
var target = Argument("target", "test");
var configuration = Argument("configuration", "Release");
var solution = "./Orchestrator.sln";
var artifacts = Directory("./artifacts/orch");

Task("clean").Does(() =>
{
    CleanDirectory(artifacts);
});

Task("build").Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
});

// Debian's nginx for the auto-healing tests and demo (scripts/install-nginx.sh). Never fails the build: without nginx,
// the tests that need it skip and the demo leaves out its healing part, each saying so.
Task("nginx").WithCriteria(() => !HasArgument("stop")).Does(() =>
{
    var exit = StartProcess("bash", new ProcessSettings { Arguments = "scripts/install-nginx.sh" });
    if (exit != 0)
    {
        Warning("nginx is not available here: the auto-healing tests and demo part will skip.");
    }
});

// Unit tests: pure, fast, no sockets.
Task("unit").IsDependentOn("build").Does(() =>
{
    DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        Filter = "Category!=Integration",
        Loggers = { "console;verbosity=normal" },
    });
});

// Integration tests: a real master and minions on 127.0.0.1, real sockets, SQLite and files in temp dirs.
Task("integration").IsDependentOn("nginx").IsDependentOn("build").Does(() =>
{
    DotNetTest("./tests/Integration.Tests/Integration.Tests.csproj", new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        Filter = "Category=Integration",
        Loggers = { "console;verbosity=normal" },
    });
});

Task("test").IsDependentOn("nginx").IsDependentOn("unit").IsDependentOn("integration");

// orch, orch-master and orch-minion side by side in artifacts/orch/.
Task("publish").Does(() =>
{
    foreach (var project in new[] { "./src/Cli/Cli.csproj", "./src/Master/Master.csproj", "./src/Minion/Minion.csproj" })
    {
        DotNetPublish(project, new DotNetPublishSettings
        {
            Configuration = configuration,
            OutputDirectory = artifacts,
            SelfContained = false,
        });
    }
});

// The guided tour: a local master and three minions on loopback (scripts/demo.sh; --stop ends them).
Task("demo").IsDependentOn("nginx").IsDependentOn("publish").Does(() =>
{
    var args = HasArgument("stop") ? "--stop" : "";
    var exit = StartProcess("bash", new ProcessSettings { Arguments = $"scripts/demo.sh {args}" });
    if (exit != 0)
    {
        throw new Exception($"demo failed with exit code {exit}");
    }
});

Task("bench").IsDependentOn("publish").Does(() =>
{
    DotNetRun("./bench/Bench/Bench.csproj", new DotNetRunSettings { Configuration = configuration });
});

RunTarget(target);
