namespace Orchestrator.Shared.Rendering.Yaml;

/// <summary>A YAML document could not be loaded; the message names the file, line and column.</summary>
public sealed class YamlLoadException : Exception
{
    /// <summary>Creates the exception for a problem at a position in a file.</summary>
    public YamlLoadException(string problem, string? path, long line, long column, Exception? inner = null)
        : base(Format(problem, path, line, column), inner)
    {
        Problem = problem;
        Path = path;
        Line = line;
        Column = column;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string Problem { get; }

    /// <summary>The file (or SLS) the text came from, when known.</summary>
    public string? Path { get; }

    /// <summary>1-based line of the problem.</summary>
    public long Line { get; }

    /// <summary>1-based column of the problem.</summary>
    public long Column { get; }

    private static string Format(string problem, string? path, long line, long column) =>
        $"{problem}; in \"{path ?? "<string>"}\", line {line}, column {column}";
}
