using System.Text;

namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>A Python slice <c>x[start:stop:step]</c>.</summary>
internal sealed class SliceValue
{
    public SliceValue(object? start, object? stop, object? step)
    {
        Start = start;
        Stop = stop;
        Step = step;
    }

    public object? Start { get; }

    public object? Stop { get; }

    public object? Step { get; }

    private static long? AsIndex(object? v) => v switch
    {
        null => null,
        Undefined => null,
        long l => l,
        int i => i,
        bool b => b ? 1 : 0,
        _ => throw Py.TypeError("slice indices must be integers or None or have an __index__ method"),
    };

    public List<int> Indices(int length)
    {
        var step = AsIndex(Step) ?? 1;
        if (step == 0)
        {
            throw new JinjaException(JinjaErrorKind.Runtime, "slice step cannot be zero");
        }
        long start;
        long stop;
        var s = AsIndex(Start);
        var e = AsIndex(Stop);
        if (step > 0)
        {
            start = s is null ? 0 : s.Value < 0 ? Math.Max(0, s.Value + length) : Math.Min(s.Value, length);
            stop = e is null ? length : e.Value < 0 ? Math.Max(0, e.Value + length) : Math.Min(e.Value, length);
        }
        else
        {
            start = s is null ? length - 1 : s.Value < 0 ? Math.Max(-1, s.Value + length) : Math.Min(s.Value, length - 1);
            stop = e is null ? -1 : e.Value < 0 ? Math.Max(-1, e.Value + length) : Math.Min(e.Value, length - 1);
        }
        var result = new List<int>();
        if (step > 0)
        {
            for (var i = start; i < stop; i += step)
            {
                result.Add((int)i);
            }
        }
        else
        {
            for (var i = start; i > stop; i += step)
            {
                result.Add((int)i);
            }
        }
        return result;
    }

    public object? Apply(RenderState st, object? obj)
    {
        switch (obj)
        {
            case string s:
                var sb = new StringBuilder();
                foreach (var i in Indices(s.Length))
                {
                    sb.Append(s[i]);
                }
                return sb.ToString();
            case List<object?> list:
                return Indices(list.Count).Select(i => list[i]).ToList();
            case PyTuple t:
                return new PyTuple(Indices(t.Count).Select(i => t[i]).ToArray());
            case Undefined u:
                throw u.Error();
            default:
                if (st.Strict || obj is not null)
                {
                    throw Py.TypeError($"'{Py.TypeName(obj)}' object is not subscriptable");
                }
                return new Undefined(null);
        }
    }
}
