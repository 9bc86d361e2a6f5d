using System.Runtime.CompilerServices;
using Orchestrator.Master.Events;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Api;

/// <summary>
/// An event as salt-api sends it, <c>{"tag": ..., "data": {...}}</c> in <c>salt.utils.json.dumps</c>'s form, written once
/// however many event streams and websockets carry it (an event's data does not change once on the bus).
/// </summary>
public static class EventJson
{
    private static readonly ConditionalWeakTable<MasterEvent, string> Cache = [];

    public static string Of(MasterEvent e) => Cache.GetValue(e, Encode);

    private static string Encode(MasterEvent e) => PythonJson.Dumps(
        new Dictionary<string, object?>(StringComparer.Ordinal) { ["tag"] = e.Tag, ["data"] = e.Data }, ensureAscii: false);
}
