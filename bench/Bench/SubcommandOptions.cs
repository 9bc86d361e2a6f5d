namespace Orchestrator.Bench;

/// <summary>The one way every <c>orch-bench</c> subcommand reads its options: <c>--help</c> prints the usage, a bad option prints it with the error.</summary>
public static class SubcommandOptions
{
    /// <summary>The parsed options, or null with the exit code to return (0 after <c>--help</c>, 2 after an error).</summary>
    public static T? Parse<T>(string[] args, string command, string usage, Func<string[], T> parse, out int exit) where T : class
    {
        exit = 0;
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(usage);
            return null;
        }
        try
        {
            return parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"{command}: {e.Message}\n\n{usage}");
            exit = 2;
            return null;
        }
    }
}
