namespace ImageApi.Bodies;

/// <summary>Greedy non-maximum suppression over person boxes (one class, so "class-wise" NMS is plain NMS here).</summary>
internal static class BoxSuppression
{
    /// <summary>Indexes of the kept candidates, in descending score order.</summary>
    public static List<int> Run(IReadOnlyList<(Box Box, float Score)> candidates, float iouThreshold)
    {
        var order = Enumerable.Range(0, candidates.Count).OrderByDescending(i => candidates[i].Score).ToArray();
        var keep = new List<int>();
        foreach (var i in order)
        {
            var overlaps = false;
            foreach (var k in keep)
            {
                if (candidates[k].Box.IoU(candidates[i].Box) > iouThreshold)
                {
                    overlaps = true;
                    break;
                }
            }

            if (!overlaps) keep.Add(i);
        }

        return keep;
    }
}
