namespace ImageApi.Faces;

/// <summary>Greedy non-maximum suppression: keep the best box, drop those overlapping it above the IoU limit.</summary>
public static class NonMaxSuppression
{
    /// <summary>Returns the indexes of the kept boxes, in descending score order.</summary>
    public static List<int> Run(IReadOnlyList<Box> boxes, IReadOnlyList<float> scores, float iouThreshold)
    {
        var order = Enumerable.Range(0, boxes.Count).OrderByDescending(i => scores[i]).ToArray();
        var suppressed = new bool[boxes.Count];
        var keep = new List<int>();
        foreach (var i in order)
        {
            if (suppressed[i]) continue;
            keep.Add(i);
            foreach (var j in order)
            {
                if (!suppressed[j] && j != i && boxes[i].IoU(boxes[j]) > iouThreshold) suppressed[j] = true;
            }
        }

        return keep;
    }
}
