namespace Orchestrator.Integration.Tests.Console;

/// <summary>Where the browser tests leave their PNGs: under the test assembly's output, kept after the run.</summary>
public static class ConsoleScreenshots
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "console-screenshots");

    public static string PathFor(string name) => Path.Combine(Folder, name + ".png");
}
