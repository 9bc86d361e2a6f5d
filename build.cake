// Orchestrator build: ./build.sh <target>  (targets: build, test, unit, integration, corpora, publish, demo, bench, nginx, chromium)
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

// Debian's sshd for the gitfs ssh tests (scripts/install-openssh-server.sh), under its own root like nginx. Never fails
// the build: without it the ssh tests skip, saying why.
Task("openssh").WithCriteria(() => !HasArgument("stop")).Does(() =>
{
    var exit = StartProcess("bash", new ProcessSettings { Arguments = "scripts/install-openssh-server.sh" });
    if (exit != 0)
    {
        Warning("sshd is not available here: the gitfs ssh tests will skip.");
    }
});

// Debian's chromium for the web console's browser tests (scripts/install-chromium.sh). Never fails the build: without it,
// those tests skip, giving the script's reason.
Task("chromium").WithCriteria(() => !HasArgument("stop")).Does(() =>
{
    var exit = StartProcess("bash", new ProcessSettings { Arguments = "scripts/install-chromium.sh" });
    if (exit != 0)
    {
        Warning("chromium is not available here: the web console's browser tests will skip.");
    }
});

// Unit tests: pure, fast, no sockets.
Task("unit").IsDependentOn("build").Does(() =>
{
    RunTests(solution, "Category!=Integration", "unit");
});

// Integration tests: a real master and minions on 127.0.0.1, real sockets, SQLite and files in temp dirs.
// The integration tests start the published programs (artifacts/orch: the native minion and CLI, the ReadyToRun master),
// the ones users run, rather than the JIT builds beside the tests.
Task("integration").IsDependentOn("nginx").IsDependentOn("openssh").IsDependentOn("chromium").IsDependentOn("build")
    .IsDependentOn("publish").Does(() =>
{
    RunTests("./tests/Integration.Tests/Integration.Tests.csproj", "Category=Integration", "integration",
        new Dictionary<string, string> { ["ORCH_TEST_BIN_DIR"] = MakeAbsolute(artifacts).FullPath });
});

// Runs the tests, then names every failed one with its message once more at the very end: a CI log is often read from its
// tail, where the failure itself, printed in the middle of a thousand passing lines, is not.
void RunTests(string what, string filter, string name, Dictionary<string, string> environment = null)
{
    var results = MakeAbsolute(Directory($"./artifacts/test-results/{name}"));
    CleanDirectory(results);
    try
    {
        DotNetTest(what, new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            Filter = filter,
            ResultsDirectory = results,
            Loggers = { "console;verbosity=normal", "trx" },
            EnvironmentVariables = environment ?? new Dictionary<string, string>(),
        });
    }
    finally
    {
        ReportFailedTests(results);
    }
}

void ReportFailedTests(DirectoryPath results)
{
    System.Xml.Linq.XNamespace trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    var failed = GetFiles($"{results}/**/*.trx")
        .SelectMany(file => System.Xml.Linq.XDocument.Load(file.FullPath).Descendants(trx + "UnitTestResult"))
        .Where(result => (string)result.Attribute("outcome") == "Failed")
        .ToList();
    foreach (var result in failed)
    {
        var message = (string)result.Descendants(trx + "Message").FirstOrDefault() ?? "(no message)";
        var stack = (string)result.Descendants(trx + "StackTrace").FirstOrDefault() ?? "";
        Error($"FAILED {(string)result.Attribute("testName")}\n{message.Trim()}\n{string.Join("\n", stack.Trim().Split('\n').Take(6))}");
    }
    if (failed.Count > 0)
    {
        Error($"{failed.Count} test(s) failed; each is named above.");
    }
}

// The shared Salt corpora (../shared, beside the repository) through the built product, the path a user takes
// (orch call --local): salt-cases and salt-templates must match real Salt 3006.1 exactly; salt-formulas is run and
// its summary printed, and fails the build only once every formula matches (issue #10 until then).
Task("corpora").IsDependentOn("publish").Does(() =>
{
    var shared = MakeAbsolute(Directory("../shared"));
    var bin = MakeAbsolute(artifacts).FullPath;
    if (!DirectoryExists(shared))
    {
        Warning($"{shared} is not here: the shared Salt corpora are not run.");
        return;
    }
    foreach (var (corpus, required) in new[] { ("salt-cases", true), ("salt-templates", true), ("salt-formulas", false) })
    {
        var runner = shared.Combine(corpus).CombineWithFilePath("run.sh");
        if (!FileExists(runner))
        {
            Warning($"{runner} is missing: {corpus} is not run.");
            continue;
        }
        var exit = StartProcess("bash", new ProcessSettings { Arguments = $"{runner.FullPath} {bin}" });
        if (exit != 0 && required)
        {
            throw new Exception($"{corpus}: the product differs from real Salt (exit code {exit}); see its output above");
        }
        if (exit != 0)
        {
            Warning($"{corpus}: differences from real Salt remain (exit code {exit}); not yet a failure");
        }
    }
});

Task("test").IsDependentOn("nginx").IsDependentOn("openssh").IsDependentOn("unit").IsDependentOn("integration").IsDependentOn("corpora");

// orch, orch-master and orch-minion side by side in artifacts/orch/.
// The CLI and the minion compiled natively (the CLI starts in a few milliseconds instead of ~45; the minion in a fraction
// of the JIT build's time and memory), the master ReadyToRun (it loads LibGit2Sharp, SQLite and ASP.NET Core, which
// are not all natively compilable). Where this machine cannot (no ILCompiler or crossgen package, no C toolchain), the
// plain JIT build is published instead, saying so.
Task("publish").Does(() =>
{
    var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
    PublishOrFallBack("./src/Master/Master.csproj", $"{artifacts}", rid, "PublishReadyToRun", fallBackHere: true);
    // The master runs orchestration and masterless calls with the minion's state engine: orch-minion.dll stays beside
    // it as a library, only the program is the native one.
    PublishNativeOrJit("./src/Minion/Minion.csproj", "orch-minion", rid, removeJitFiles: false);
    PublishNativeOrJit("./src/Cli/Cli.csproj", "orch", rid, removeJitFiles: true);
});

// One program compiled natively into artifacts/orch (replacing what a JIT publish left, with removeJitFiles), or else
// its JIT build there.
void PublishNativeOrJit(string project, string program, string rid, bool removeJitFiles)
{
    var native = $"{artifacts}/native-{program}";
    if (PublishOrFallBack(project, native, rid, "PublishAot", fallBackHere: false))
    {
        CopyFile($"{native}/{program}", $"{artifacts}/{program}");
        foreach (var stale in new[] { ".dll", ".pdb", ".deps.json", ".runtimeconfig.json" }.Select(f => new FilePath($"{artifacts}/{program}{f}")))
        {
            if (removeJitFiles && FileExists(stale))
            {
                DeleteFile(stale);
            }
        }
    }
    else
    {
        PublishOrFallBack(project, $"{artifacts}", null, null, fallBackHere: false);
    }
    if (DirectoryExists(native))
    {
        DeleteDirectory(native, new DeleteDirectorySettings { Recursive = true });
    }
}

// Publishes with an ahead-of-time property for the runtime; on failure, warns and, with fallBackHere, publishes the
// plain framework-dependent build into the same place. True when the compiled build was published.
bool PublishOrFallBack(string project, string output, string rid, string aotProperty, bool fallBackHere)
{
    try
    {
        // A natively compiled program carries its runtime, so only the others say framework-dependent.
        var settings = new DotNetPublishSettings
        {
            Configuration = configuration,
            OutputDirectory = output,
            SelfContained = aotProperty == "PublishAot" ? null : false,
        };
        if (aotProperty != null)
        {
            settings.Runtime = rid;
            settings.MSBuildSettings = new DotNetMSBuildSettings().WithProperty(aotProperty, "true");
        }
        DotNetPublish(project, settings);
        return aotProperty != null;
    }
    catch (Exception e) when (aotProperty != null)
    {
        Warning($"{project}: {aotProperty} failed here ({e.Message}); publishing the JIT build.");
        if (fallBackHere)
        {
            PublishOrFallBack(project, output, null, null, fallBackHere: false);
        }
        return false;
    }
}

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
