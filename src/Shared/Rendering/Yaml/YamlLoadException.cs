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

    /// <summary>
    /// A problem found while constructing a node, in PyYAML's words and layout (so Salt's messages come out the same): the
    /// context and its position, then the problem and its position, each position as PyYAML names rendered text
    /// (<c>in "&lt;unicode string&gt;", line L, column C</c>). <see cref="Path"/> still names the file.
    /// </summary>
    public static YamlLoadException WithContext(
        string context, long contextLine, long contextColumn, string problem, string? path, long line, long column) =>
        new(problem, path, line, column, $"{context}\n{Position(contextLine, contextColumn)}\n{problem}\n{Position(line, column)}");

    private YamlLoadException(string problem, string? path, long line, long column, string message)
        : base(message)
    {
        Problem = problem;
        Path = path;
        Line = line;
        Column = column;
    }

    private static string Position(long line, long column) => $"  in \"<unicode string>\", line {line}, column {column}";

    private static string Format(string problem, string? path, long line, long column) =>
        $"{problem}; in \"{path ?? "<string>"}\", line {line}, column {column}";
}
