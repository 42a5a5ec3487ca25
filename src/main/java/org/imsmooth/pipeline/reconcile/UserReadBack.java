package org.imsmooth.pipeline.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.imsmooth.im.ImAccounts;
import org.imsmooth.im.ImFriends;
import org.imsmooth.im.ImProfiles;
import org.imsmooth.im.api.account.AccountCheckItem;
import org.imsmooth.im.api.account.AccountCheckRequest;
import org.imsmooth.im.api.account.UserIdItem;
import org.imsmooth.im.api.profile.PortraitGetRequest;
import org.imsmooth.im.api.profile.UserProfile;
import org.imsmooth.im.api.sns.FriendData;
import org.imsmooth.im.api.sns.FriendGetRequest;
import org.imsmooth.im.api.sns.FriendGetResult;
import org.imsmooth.state.IdMap;
import org.springframework.stereotype.Component;

/**
 * Reads accounts (account_check), profiles (portrait_get) and friends (friend_get) back from IM: the id
 * map is streamed on the caller's thread and each page (or user) is one task on {@link ReadBackPool}.
 */
@Component
@SuppressWarnings("unchecked")
class UserReadBack {

    private static final int PAGE = 100;

    private final ImAccounts accounts;
    private final PacedCalls paced;
    private final ImProfiles profiles;
    private final ImFriends friends;
    private final IdMap idMap;

    UserReadBack(ImAccounts accounts, ImProfiles profiles, ImFriends friends, IdMap idMap, PacedCalls paced) {
        this.paced = paced;
        this.accounts = accounts;
        this.profiles = profiles;
        this.friends = friends;
        this.idMap = idMap;
    }

    /** Pages of 100 acknowledged accounts, one account_check each, several pages in flight. */
    void accounts(ReadBack result) {
        result.note = "account_check on every acknowledged UserID";
        pages("accounts", result, page -> checkAccounts(page, result));
    }

    private void pages(String kind, ReadBack result, java.util.function.Consumer<List<IdMap.Entry>> check) {
        List<IdMap.Entry>[] page = new List[] {new ArrayList<>()};
        idMap.forEachDone(kind, entry -> {
            if (result.take()) {
                page[0].add(entry);
                if (page[0].size() == PAGE) {
                    List<IdMap.Entry> full = page[0];
                    page[0] = new ArrayList<>();
                    result.submit(() -> check.accept(full));
                }
            }
        });
        if (!page[0].isEmpty()) {
            List<IdMap.Entry> last = page[0];
            result.submit(() -> check.accept(last));
        }
    }

    private void checkAccounts(List<IdMap.Entry> page, ReadBack result) {
        Map<String, String> oldIdByUser = new HashMap<>();
        page.forEach(e -> oldIdByUser.put(e.imId(), e.oldId()));
        List<AccountCheckItem> items = paced.call("account_check", () -> accounts.accountCheck(new AccountCheckRequest(
                page.stream().map(e -> new UserIdItem(e.imId())).toList()))).resultItem();
        Set<String> seen = new HashSet<>();
        for (AccountCheckItem item : items == null ? List.<AccountCheckItem>of() : items) {
            seen.add(item.userId());
            if ("Imported".equals(item.accountStatus())) {
                result.ok();
            } else {
                result.fail("accounts", oldIdByUser.get(item.userId()), "IM says " + item.userId() + " is " + item.accountStatus());
            }
        }
        oldIdByUser.keySet().stream().filter(u -> !seen.contains(u))
                .forEach(u -> result.fail("accounts", oldIdByUser.get(u), "account_check did not answer for " + u));
    }

    void profiles(ReadBack result) {
        result.note = "portrait_get on every acknowledged profile";
        pages("profiles", result, page -> checkProfiles(page, result));
    }

    private void checkProfiles(List<IdMap.Entry> page, ReadBack result) {
        Map<String, String> oldIdByUser = new HashMap<>();
        page.forEach(e -> oldIdByUser.put(e.imId(), e.oldId()));
        List<UserProfile> items = paced.call("portrait_get", () -> profiles.portraitGet(new PortraitGetRequest(new ArrayList<>(oldIdByUser.keySet()),
                List.of("Tag_Profile_IM_Nick")))).userProfileItem();
        Set<String> seen = new HashSet<>();
        for (UserProfile item : items == null ? List.<UserProfile>of() : items) {
            seen.add(item.toAccount());
            if (item.resultCode() == null || item.resultCode() == 0) {
                result.ok();
            } else {
                result.fail("profiles", oldIdByUser.get(item.toAccount()), "portrait_get ResultCode " + item.resultCode());
            }
        }
        oldIdByUser.keySet().stream().filter(u -> !seen.contains(u))
                .forEach(u -> result.fail("profiles", oldIdByUser.get(u), "portrait_get returned no profile for " + u));
    }

    /**
     * Friend pairs are "user:friend" im ids in the id map, a user's pairs next to each other (ordered by
     * old id); friend_get lists each user's friends, one task per user.
     */
    void friends(ReadBack result) {
        result.note = "friend_get per user: every acknowledged friend is listed";
        List<IdMap.Entry>[] userEntries = new List[] {new ArrayList<>()};
        String[] current = {null};
        idMap.forEachDone("friends", entry -> {
            String[] pair = entry.imId() == null ? new String[0] : entry.imId().split(":", 2);
            if (pair.length == 2 && result.take()) {
                if (!pair[0].equals(current[0])) {
                    submitFriends(current[0], userEntries[0], result);
                    userEntries[0] = new ArrayList<>();
                    current[0] = pair[0];
                }
                userEntries[0].add(entry);
            }
        });
        submitFriends(current[0], userEntries[0], result);
    }

    private void submitFriends(String user, List<IdMap.Entry> entries, ReadBack result) {
        if (user != null && !entries.isEmpty()) {
            result.submit(() -> checkFriends(user, entries, result));
        }
    }

    private void checkFriends(String user, List<IdMap.Entry> entries, ReadBack result) {
        Set<String> listed = new HashSet<>();
        int start = 0;
        while (true) {
            int from = start;
            FriendGetResult page = paced.call("friend_get", () -> friends.friendGet(FriendGetRequest.page(user, from)));
            if (page.userDataItem() != null) {
                page.userDataItem().stream().map(FriendData::toAccount).forEach(listed::add);
            }
            if (page.completeFlag() == null || page.completeFlag() != 0 || page.nextStartIndex() == null) {
                break;
            }
            start = page.nextStartIndex();
        }
        for (IdMap.Entry e : entries) {
            String friend = e.imId().split(":", 2)[1];
            if (listed.contains(friend)) {
                result.ok();
            } else {
                result.fail("friends", e.oldId(), "friend_get of " + user + " does not list " + friend);
            }
        }
    }
}
