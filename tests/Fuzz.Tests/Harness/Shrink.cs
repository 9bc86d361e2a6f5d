namespace Orchestrator.Fuzz.Tests.Harness;

/// <summary>Delta-debugging shrinkers: drop halves, quarters... down to single elements, so a finding is reported minimal.</summary>
public static class Shrink
{
    /// <summary>Shorter texts: whole lines first, then ever smaller chunks.</summary>
    public static IEnumerable<TextInput> Text(TextInput input)
    {
        var text = input.Text;
        var lines = text.Split('\n');
        if (lines.Length > 1)
        {
            for (var i = 0; i < lines.Length; i++)
            {
                yield return new TextInput(string.Join('\n', lines.Where((_, j) => j != i)));
            }
        }
        foreach (var (start, length) in Chunks(text.Length))
        {
            yield return new TextInput(text.Remove(start, length));
        }
    }

    /// <summary>Shorter byte arrays, then bytes set to zero.</summary>
    public static IEnumerable<BytesInput> Bytes(BytesInput input)
    {
        var bytes = input.Bytes;
        foreach (var (start, length) in Chunks(bytes.Length))
        {
            yield return new BytesInput([.. bytes.AsSpan(0, start), .. bytes.AsSpan(start + length)]);
        }
    }

    private static IEnumerable<(int Start, int Length)> Chunks(int total)
    {
        for (var size = total / 2; size >= 1; size /= 2)
        {
            for (var start = 0; start + size <= total; start += size)
            {
                yield return (start, size);
            }
        }
    }
}
