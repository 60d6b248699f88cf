import type { TargetPolicy } from './target-policy.ts';

/**
 * What is worked out once per target policy object (its map, made on first use) and dropped with it: a
 * process holds one or two policies, and every push asks.
 */
export class PerPolicy<K, V> {
  private readonly maps = new WeakMap<TargetPolicy, Map<K, V>>();

  of(policy: TargetPolicy): Map<K, V> {
    let map = this.maps.get(policy);
    if (!map) {
      map = new Map();
      this.maps.set(policy, map);
    }
    return map;
  }
}
