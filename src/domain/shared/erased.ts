/**
 * What a personal field reads as once its data subject has been erased (GDPR, crypto-shredding): the data key
 * that could decrypt it is gone, so every reader sees this marker in place of the value. It is a string, so a
 * field typed `string` stays honest: it holds either the value or this marker, never something else.
 */
export const ERASED = '[erased]';
