// What the map shows, in one object: which collections and categories are
// hidden, the basemap the user chose, the selected feature, how the list is
// grouped and the features of every collection once they are loaded. The
// modules read and change it; the permalink is written from it.

/**
 * collectionOrder: collection ids in draw order (first = bottom)
 * categories: category ids in palette order
 */
export function createState({ collectionOrder, categories }) {
    return {
        collectionOrder,
        categories,
        hidden: { collection: new Set(), category: new Set() },
        basemapChoice: null, // 'osm' | 'plain' | null (config default)
        selected: null, // { collection, id } of the feature whose popup is open
        groupBy: 'category', // the project list: 'category' | 'status'
        features: [], // every item of every collection: { collection, id, properties, geometry }
        counts: { category: {}, collection: {} },
        groups: [], // schematic points that share an area (discs.js): { id, members, center, radius }
        groupOf: new Map(), // keyOf(feature) → its group
        groupsReady: false, // the groups are known (the features are loaded)
        clipArea: null, // the district's geometry: discs of points in it are clipped to it

        setGroups(groups) {
            this.groups = groups;
            this.groupOf = new Map(groups.flatMap((g) => g.members.map((f) => [keyOf(f), g])));
            this.groupsReady = true;
        },

        isVisible(collection, category) {
            return !this.hidden.collection.has(collection) && !this.hidden.category.has(category);
        },

        /** The visible layers and categories of a parsed permalink (absent = all). */
        applyLayerParams(h) {
            this.hidden.collection = h.layers ? new Set(collectionOrder.filter((c) => !h.layers.includes(c))) : new Set();
            this.hidden.category = h.cats ? new Set(categories.filter((c) => !h.cats.includes(c))) : new Set();
        },

        setFeatures(features) {
            this.features = features;
            this.counts = { category: {}, collection: {} };
            for (const f of features) {
                this.counts.collection[f.collection] = (this.counts.collection[f.collection] || 0) + 1;
                const cat = f.properties.category;
                this.counts.category[cat] = (this.counts.category[cat] || 0) + 1;
            }
        },

        findFeature(ref) {
            return this.features.find((x) => x.collection === ref.collection && String(x.id) === String(ref.id));
        },
    };
}

export const keyOf = (ref) => `${ref.collection}/${ref.id}`;
