using Harness.Data.Knowledge;
using Harness.Runs;

namespace Harness.Analysis;

/// <summary>A group of items as the run defines it: its name, whether it is a control group, and its probes by depth.</summary>
public sealed record GroupDesign(string Name, bool Control, IReadOnlyList<int>[] ProbesByDepth, int[] InjectionSteps, int Encounters);

/// <summary>
/// What the manifest says about each probe, derived once: its group, its item's encounter steps (sorted), and which
/// groups are controls. Nothing here is hard-coded; any group names and schedules work.
/// </summary>
public sealed class RunDesign
{
    public IReadOnlyList<GroupDesign> Groups { get; }
    /// <summary>Per probe: the sorted steps at which its item was injected (empty for control and never-injected items).</summary>
    public int[][] Encounters { get; }
    /// <summary>Per depth: the control probes (empty when the run has no control items).</summary>
    public IReadOnlyList<int>[] ControlProbes { get; }
    public bool HasControls => ControlProbes.Any(c => c.Count > 0);

    public RunDesign(RunManifest manifest, Trajectory trajectory)
    {
        var control = new Dictionary<string, bool>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var it in manifest.Items)
            if (control.TryAdd(it.Group, it.Control)) order.Add(it.Group);
            else control[it.Group] &= it.Control;
        foreach (var inj in manifest.Injections)
            if (control.TryAdd(inj.Group, false)) order.Add(inj.Group);
        foreach (var p in trajectory.Probes.Select(p => p.Group).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            if (control.TryAdd(p, false)) order.Add(p);

        var byItem = manifest.Injections.GroupBy(i => i.Item, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(i => i.Step).Distinct().Order().ToArray(), StringComparer.Ordinal);
        Encounters = trajectory.Probes.Select(p => byItem.TryGetValue(p.Item, out var s) ? s : []).ToArray();

        var groups = new List<GroupDesign>();
        foreach (var name in order)
        {
            var byDepth = Enum.GetValues<Depth>().Select(_ => new List<int>()).ToArray();
            int encounters = 0;
            for (int p = 0; p < trajectory.Probes.Length; p++)
                if (trajectory.Probes[p].Group == name)
                {
                    byDepth[(int)trajectory.Probes[p].Depth].Add(p);
                    encounters = Math.Max(encounters, Encounters[p].Length);
                }
            var steps = manifest.Injections.Where(i => i.Group == name).Select(i => i.Step).Distinct().Order().ToArray();
            groups.Add(new GroupDesign(name, control[name], byDepth, steps, encounters));
        }
        Groups = groups;
        ControlProbes = Enum.GetValues<Depth>()
            .Select(d => (IReadOnlyList<int>)groups.Where(g => g.Control).SelectMany(g => g.ProbesByDepth[(int)d]).Order().ToList())
            .ToArray();
    }

    /// <summary>Every injection step of the run (all groups), sorted: where a control group's own noise floor is measured.</summary>
    public int[] AllInjectionSteps => Groups.SelectMany(g => g.InjectionSteps).Distinct().Order().ToArray();
}
