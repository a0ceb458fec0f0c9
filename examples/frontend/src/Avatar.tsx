import { uploadData, list } from 'aws-amplify/storage';

export function AvatarPicker() {
  async function onPick(file: File) {
    // each user's pictures live under their own identity id
    await uploadData({ path: `profile-pictures/${file.name}`, data: file }).result; // expect: frontend/storage-entity-id
  }
  async function gallery() {
    return list({ path: 'photos/' }); // expect: frontend/storage-path-not-covered
  }
  return <input type="file" onChange={(e) => e.target.files && onPick(e.target.files[0])} onFocus={gallery} />;
}
